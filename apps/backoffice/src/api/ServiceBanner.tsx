import { useEffect, useSyncExternalStore } from 'react';
import { useAuth } from '../auth/AuthContext.js';
import type { Unavailable } from './service-status.js';

/** The outage the API client last saw (null while the cloud serves), re-rendering on changes. */
export function useServiceOutage(): Unavailable | null {
  const { status } = useAuth();
  return useSyncExternalStore(status.subscribe, () => status.unavailable);
}

/** How many times the cloud came back from an outage; a page that failed meanwhile loads again when it grows. */
export function useRecoveries(): number {
  const { status } = useAuth();
  return useSyncExternalStore(status.subscribe, () => status.recoveryCount);
}

/**
 * While the cloud answers 503 (its database or Redis is down) or not at all: a banner that says
 * so, and a check every Retry-After (a cheap signed-in call) until it answers again. The session
 * stays: an outage is not a reason to sign anyone out. When the cloud is back the banner goes and
 * the pages reload what they could not (useLoad).
 */
export function ServiceBanner() {
  const { api } = useAuth();
  const outage = useServiceOutage();
  useEffect(() => {
    if (!outage) return;
    // The client reports the outcome of the check itself: an answer clears the outage.
    const timer = window.setTimeout(() => void api.get('/auth/me').catch(() => undefined), outage.retryAfterMs);
    return () => window.clearTimeout(timer);
  }, [outage, api]);
  if (!outage) return null;
  return (
    <div className="banner banner--warning service-banner" role="status" aria-live="polite" title={`${outage.message} (${outage.code})`}>
      <span>The service is temporarily unavailable, retrying…</span>
      <small className="muted">
        {outage.code === 'NETWORK_ERROR' ? 'The cloud does not answer.' : `${outage.code}.`} You stay signed in; nothing you have open is lost.
      </small>
    </div>
  );
}
