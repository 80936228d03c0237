import type { LoginResponse } from '@app/contracts';

const KEY = 'pos-backoffice.session';

export type Session = LoginResponse;

/** The signed-in operator, kept in localStorage so a reload keeps the session (until the token expires). */
export function loadSession(now = Date.now()): Session | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.accessToken || !session.operator || Date.parse(session.expiresAt) <= now) {
      window.localStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  window.localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  window.localStorage.removeItem(KEY);
}
