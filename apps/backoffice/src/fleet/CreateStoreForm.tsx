import { useState, type FormEvent } from 'react';
import { createStoreRequestSchema, type FleetStoreView } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { Field, ErrorBanner } from '../common/ui.js';
import { fieldErrors, serverFieldErrors } from '../editors/field-errors.js';

export function CreateStoreForm({ onCreated, onCancel }: { onCreated: (store: FleetStoreView) => void; onCancel: () => void }) {
  const { api } = useSignedIn();
  const [form, setForm] = useState({ code: '', name: '', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = createStoreRequestSchema.safeParse(form);
    if (!checked.success) return setErrors(fieldErrors(checked.error.issues));
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      onCreated(await api.post<FleetStoreView>('/stores', checked.data));
    } catch (error) {
      const mapped = serverFieldErrors(error, '');
      if (Object.keys(mapped).length > 0) setErrors(mapped);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  return (
    <form className="card form-grid" onSubmit={submit} noValidate aria-label="New store">
      <h2>New store</h2>
      <ErrorBanner error={failure} />
      <Field label="Code" error={errors.code} hint="Letters, digits, _ or -">
        {(p) => <input {...p} value={form.code} onChange={set('code')} />}
      </Field>
      <Field label="Name" error={errors.name}>
        {(p) => <input {...p} value={form.name} onChange={set('name')} />}
      </Field>
      <Field label="Time zone" error={errors.timezone}>
        {(p) => <input {...p} value={form.timezone} onChange={set('timezone')} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          Create store
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
