import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { ServiceBanner } from './api/ServiceBanner.js';
import { useSignedIn } from './auth/AuthContext.js';
import { ROLE_LABELS } from './auth/permissions.js';
import { useStickyInset } from './common/hooks.js';

export function Layout({ children }: { children: ReactNode }) {
  const { operator, logout } = useSignedIn();
  const sticky = useStickyInset('--sticky-top');
  return (
    <div className="app">
      <header className="topbar" ref={sticky}>
        <span className="brand">POS Fleet</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Fleet
          </NavLink>
          <NavLink to="/commands">Commands</NavLink>
          <NavLink to="/audit">Audit</NavLink>
        </nav>
        <div className="whoami">
          {/* A long email gives way (ellipsis, whole in the tooltip); the role and tenant stay. */}
          <span className="whoami__who" title={`${operator.email} · ${ROLE_LABELS[operator.role]} · ${operator.tenantSlug}`}>
            <span className="whoami__email">{operator.email}</span>
            <span className="whoami__role">
              · <strong>{ROLE_LABELS[operator.role]}</strong> · {operator.tenantSlug}
            </span>
          </span>
          <button type="button" className="btn btn--ghost" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">
        <ServiceBanner />
        {children}
      </main>
    </div>
  );
}
