import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { loginRequestSchema } from '@app/contracts';
import { ApiError, errorMessage } from '../api/client.js';
import { Field, Notice } from '../common/ui.js';
import { useAuth } from './AuthContext.js';

/** Seconds to wait, from a 429's `details.retryAfterSeconds` (the Retry-After the cloud also sends). */
function retryAfterOf(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.statusCode !== 429) return null;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60;
}

function waitText(seconds: number): string {
  if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/** Counts down to a moment; null once it has passed (re-rendered four times a second meanwhile). */
function useSecondsLeft(until: number | null): number | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (until === null) return;
    const timer = window.setInterval(() => {
      setTick((t) => t + 1);
      if (Date.now() >= until) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [until]);
  if (until === null) return null;
  const left = Math.ceil((until - Date.now()) / 1000);
  return left > 0 ? left : null;
}

export function LoginPage() {
  const { session, login, endedReason } = useAuth();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const secondsLeft = useSecondsLeft(waitUntil);
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
    setWaitUntil(null);
    try {
      await login(checked.data.email, checked.data.password);
    } catch (error) {
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== null) setWaitUntil(Date.now() + retryAfter * 1000);
      else setErrors({ form: error instanceof ApiError && error.statusCode === 401 ? 'Wrong email or password.' : errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login__card" onSubmit={submit} noValidate>
        <h1>POS Fleet backoffice</h1>
        <p className="muted">Sign in with your operator account.</p>
        {endedReason && !errors.form && waitUntil === null && <Notice kind="info">{endedReason}</Notice>}
        {errors.form && <Notice kind="error">{errors.form}</Notice>}
        {secondsLeft !== null && <Notice kind="error">Too many attempts. Try again in {waitText(secondsLeft)}.</Notice>}
        {waitUntil !== null && secondsLeft === null && <Notice kind="info">You can try again now.</Notice>}
        <Field label="Email" error={errors.email}>
          {(p) => <input {...p} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}
        </Field>
        <Field label="Password" error={errors.password}>
          {(p) => <input {...p} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={busy || secondsLeft !== null}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
