import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { loginRequestSchema } from '@app/contracts';
import { ApiError, errorMessage } from '../api/client.js';
import { Field, Notice } from '../common/ui.js';
import { useAuth } from './AuthContext.js';

export function LoginPage() {
  const { session, login, endedReason } = useAuth();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (session) return <Navigate to={from} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = loginRequestSchema.safeParse({ email: email.trim(), password });
    if (!checked.success) {
      const next: typeof errors = {};
      for (const issue of checked.error.issues) next[issue.path[0] as 'email' | 'password'] ??= issue.message;
      setErrors(next);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await login(checked.data.email, checked.data.password);
    } catch (error) {
      setErrors({ form: error instanceof ApiError && error.statusCode === 401 ? 'Wrong email or password.' : errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login__card" onSubmit={submit} noValidate>
        <h1>POS Fleet backoffice</h1>
        <p className="muted">Sign in with your operator account.</p>
        {endedReason && !errors.form && <Notice kind="info">{endedReason}</Notice>}
        {errors.form && <Notice kind="error">{errors.form}</Notice>}
        <Field label="Email" error={errors.email}>
          {(p) => <input {...p} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}
        </Field>
        <Field label="Password" error={errors.password}>
          {(p) => <input {...p} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
