import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LoginResponse, OperatorView } from '@app/contracts';
import { ApiClient } from '../api/client.js';
import { ServiceStatus } from '../api/service-status.js';
import { permissionsOf, type Permissions } from './permissions.js';
import { clearSession, loadSession, saveSession, type Session } from './session.js';

interface Auth {
  session: Session | null;
  api: ApiClient;
  /** Whether the cloud is serving, as the client last saw it (an outage never ends the session). */
  status: ServiceStatus;
  login: (email: string, password: string) => Promise<void>;
  logout: (reason?: string) => void;
  /** Why the last session ended (shown on the login page), if it did not end by choice. */
  endedReason: string | null;
}

interface SignedIn {
  operator: OperatorView;
  api: ApiClient;
  can: Permissions;
  logout: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [endedReason, setEndedReason] = useState<string | null>(null);
  // The client reads the token from storage on every call, so it never holds a stale one.
  const logout = useCallback((reason?: string) => {
    clearSession();
    setSession(null);
    setEndedReason(reason ?? null);
  }, []);
  const [status] = useState(() => new ServiceStatus());
  const api = useMemo(
    () =>
      new ApiClient({
        token: () => loadSession()?.accessToken ?? null,
        onUnauthorized: () => logout('Your session has expired. Please sign in again.'),
        status,
      }),
    [logout, status],
  );
  const login = useCallback(
    async (email: string, password: string) => {
      const res = await api.post<LoginResponse>('/auth/login', { email, password });
      saveSession(res);
      setEndedReason(null);
      setSession(res);
    },
    [api],
  );
  // An open tab signs out when the token expires, rather than on the next failing call.
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    const timer = window.setTimeout(() => logout('Your session has expired. Please sign in again.'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => window.clearTimeout(timer);
  }, [session, logout]);
  const value = useMemo(() => ({ session, api, status, login, logout, endedReason }), [session, api, status, login, logout, endedReason]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** For pages behind sign-in: the operator, the API client and what the operator may do. */
export function useSignedIn(): SignedIn {
  const { session, api, logout } = useAuth();
  if (!session) throw new Error('useSignedIn without a session');
  const can = useMemo(() => permissionsOf(session.operator.role), [session.operator.role]);
  return { operator: session.operator, api, can, logout: () => logout() };
}
