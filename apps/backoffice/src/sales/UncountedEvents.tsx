import { useState } from 'react';
import type { ProjectionDeadLettersPage } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { dateTime, plural, shortId } from '../common/format.js';
import { ErrorBanner, Notice } from '../common/ui.js';

const PAGE = 50;

/** What each skip reason means, for the operator reading the list. */
const REASONS: Record<string, string> = {
  invalid_time: 'its time is no valid date',
  invalid_amount: 'its amount is no valid amount',
};

/**
 * The events the sales projection could not count (projection dead letters): says how many, so the
 * figures above are not taken as complete, and lists them for support. Shows nothing when there are none.
 */
export function UncountedEvents({ storeId }: { storeId: string }) {
  const { api } = useSignedIn();
  const [open, setOpen] = useState(false);
  const [after, setAfter] = useState(0);
  const list = useLoad(
    () => api.get<ProjectionDeadLettersPage>(`/stores/${storeId}/projections/dead-letters`, { after, limit: PAGE }),
    [api, storeId, after],
    30_000,
  );
  if (list.error) return <ErrorBanner error={list.error} onRetry={() => void list.reload()} />;
  const page = list.data;
  if (!page || page.total === 0) return null;
  return (
    <section aria-label="Events that could not be counted">
      <Notice kind="warning">
        <span>
          <strong>{plural(page.total, 'event')} could not be counted</strong> in these sales: the cloud skipped {page.total === 1 ? 'it' : 'them'} (listed
          below) and went on with the others.
        </span>
        <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide the list' : 'Show the list'}
        </button>
      </Notice>
      {open && (
        <div className="table-wrap">
          <table className="table table--compact" aria-label="Uncounted events">
            <thead>
              <tr>
                <th scope="col">Cloud seq</th>
                <th scope="col">Event</th>
                <th scope="col">Type</th>
                <th scope="col">Why</th>
                <th scope="col">Detail</th>
                <th scope="col">Skipped</th>
              </tr>
            </thead>
            <tbody>
              {page.deadLetters.map((d) => (
                <tr key={`${d.projection}-${d.cloudSeq}`}>
                  <td className="num">{d.cloudSeq}</td>
                  <td className="code" title={d.eventId}>
                    {shortId(d.eventId)}
                  </td>
                  <td>
                    <span className="code">{d.eventType}</span>
                  </td>
                  <td>
                    <span className="code">{d.reason}</span> {REASONS[d.reason] ?? ''}
                  </td>
                  <td className="error-cell">{d.detail}</td>
                  <td>{dateTime(d.recordedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(after > 0 || page.nextCursor !== null) && (
            <div className="form-actions">
              <button type="button" className="btn" disabled={after === 0} onClick={() => setAfter(0)}>
                First
              </button>
              <button type="button" className="btn" disabled={page.nextCursor === null} onClick={() => setAfter(page.nextCursor ?? after)}>
                Next
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
