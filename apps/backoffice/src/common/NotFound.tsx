import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { ApiError } from '../api/client.js';

/**
 * The cloud's answer for a thing that is not there: 404, or 400 for an id that cannot be one (the
 * route's id is the only thing checked), which for the operator is the same.
 */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.statusCode === 404 || (error.statusCode === 400 && error.code === 'VALIDATION_FAILED'));
}

/** What an address that leads nowhere shows: what is missing, and a way back (never a silent redirect). */
export function NotFound({
  title = 'Page not found',
  children,
  back = { to: '/', label: 'Back to the fleet' },
}: {
  title?: string;
  children?: ReactNode;
  back?: { to: string; label: string };
}) {
  const location = useLocation();
  return (
    <section className="not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{title}</h1>
      <p className="muted">{children ?? `There is no page at ${location.pathname}.`}</p>
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </section>
  );
}
