import { useEffect, useId, useRef, type ReactNode } from 'react';
import { errorMessage } from '../api/client.js';
import type { CommandStatusName } from '@app/contracts';
import { shortId } from './format.js';

/** A form field: its label bound to the control by id, and its error right under it. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(error ? { 'aria-describedby': errorId } : {}) })}
      {hint && !error && <small className="hint">{hint}</small>}
      {error && (
        <small className="field-error" id={errorId} role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="banner banner--error" role="alert">
      <span>{errorMessage(error)}</span>
      {onRetry && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'success' | 'warning' | 'info' | 'error'; children: ReactNode }) {
  return (
    <div className={`banner banner--${kind}`} role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

const STATUS_TONE: Record<CommandStatusName, string> = {
  PENDING: 'info',
  DELIVERED: 'info',
  ACKED: 'ok',
  FAILED: 'warn',
  DEAD_LETTER: 'bad',
  SUPERSEDED: 'muted',
};

export function StatusBadge({ status }: { status: CommandStatusName }) {
  return <span className={`badge badge--${STATUS_TONE[status]}`}>{status}</span>;
}

/** Who did something: an operator by email (the cloud resolves it), else the actor's kind and short id (the whole id in the tooltip). */
export function ActorName({ type, id, label }: { type: 'OPERATOR' | 'NODE' | 'SYSTEM'; id: string | null; label: string | null }) {
  if (label) return <span title={id ?? undefined}>{label}</span>;
  return (
    <>
      {type.toLowerCase()}
      {id && (
        <span className="muted code" title={id}>
          {' '}
          {shortId(id)}
        </span>
      )}
    </>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted'; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}

/** A side panel over the page; Escape or the close button closes it. */
export function Drawer({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  // Focus moves into the drawer when it opens, and back where it was when it closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => before?.focus();
  }, []);
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside className="drawer" role="dialog" aria-modal="true" aria-label={title} onClick={(e) => e.stopPropagation()}>
        <header className="drawer__header">
          <h2>{title}</h2>
          <button type="button" ref={close} className="btn btn--ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="drawer__body">{children}</div>
      </aside>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
