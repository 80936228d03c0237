import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { useSignedIn } from './auth/AuthContext.js';
import { ROLE_LABELS } from './auth/permissions.js';

export function Layout({ children }: { children: ReactNode }) {
  const { operator, logout } = useSignedIn();
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">POS Fleet</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Fleet
          </NavLink>
          <NavLink to="/commands">Commands</NavLink>
          <NavLink to="/audit">Audit</NavLink>
        </nav>
        <div className="whoami">
          <span>
            {operator.email} · <strong>{ROLE_LABELS[operator.role]}</strong> · {operator.tenantSlug}
          </span>
          <button type="button" className="btn btn--ghost" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
