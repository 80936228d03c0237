import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/**
 * An editable table cell: the control labelled for assistive tech (and tests) by `label`, with its
 * error right under it and tied to it by aria-describedby.
 */
export function CellInput({
  label,
  error,
  warning,
  editable,
  display,
  ...input
}: {
  label: string;
  error?: string | undefined;
  warning?: string | undefined;
  editable: boolean;
  display?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  if (!editable) return <>{display ?? input.value}</>;
  const note = error ?? warning;
  return (
    <div className={`cell-field${error ? ' field--invalid' : ''}`}>
      <input aria-label={label} aria-invalid={Boolean(error)} aria-describedby={note ? `${id}-e` : undefined} {...input} />
      {note && (
        <small id={`${id}-e`} className={error ? 'field-error' : 'field-warning'} role={error ? 'alert' : undefined}>
          {note}
        </small>
      )}
    </div>
  );
}

export function CellSelect({
  label,
  error,
  editable,
  value,
  onChange,
  options,
}: {
  label: string;
  error?: string | undefined;
  editable: boolean;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  const id = useId();
  if (!editable) return <>{options.find(([v]) => v === value)?.[1] ?? value}</>;
  return (
    <div className={`cell-field${error ? ' field--invalid' : ''}`}>
      <select
        aria-label={label}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-e` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <small id={`${id}-e`} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

export function CellCheckbox({
  label,
  editable,
  checked,
  onChange,
  text,
}: {
  label: string;
  editable: boolean;
  checked: boolean;
  onChange: (v: boolean) => void;
  text: [string, string];
}) {
  if (!editable) return <>{checked ? text[0] : text[1]}</>;
  return (
    <label className="check">
      <input type="checkbox" aria-label={label} checked={checked} onChange={(e) => onChange(e.target.checked)} />{' '}
      <span aria-hidden="true">{checked ? text[0] : text[1]}</span>
    </label>
  );
}

/** Remove (or undo) for a row; a new row just goes. */
export function RowRemove({ label, removed, isNew, onChange }: { label: string; removed: boolean; isNew: boolean; onChange: (removed: boolean) => void }) {
  return removed ? (
    <button type="button" className="btn btn--small" onClick={() => onChange(false)} aria-label={`Undo remove ${label}`}>
      Undo
    </button>
  ) : (
    <button type="button" className="btn btn--small btn--danger" onClick={() => onChange(true)} aria-label={`Remove ${label}`}>
      {isNew ? 'Drop' : 'Remove'}
    </button>
  );
}
