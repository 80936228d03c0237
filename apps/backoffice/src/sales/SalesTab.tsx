import { useState } from 'react';
import { Link } from 'react-router-dom';
import { STORE_CURRENCY_SETTING, type CloudEventsPage, type SalesResponse } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { dateTime, money, plural } from '../common/format.js';
import { Empty, ErrorBanner, Loading, Notice } from '../common/ui.js';
import { UncountedEvents } from './UncountedEvents.js';

const DAY_MS = 86_400_000;
/** The calendar day of an instant in a time zone, as YYYY-MM-DD (the cloud counts sales per store day). */
const dayIn = (d: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/** Orders paid and sales per day (the cloud's projection of the ingested events), and the events themselves. */
export function SalesTab({ storeId, timeZone }: { storeId: string; timeZone: string }) {
  const { api } = useSignedIn();
  const [from, setFrom] = useState(() => dayIn(new Date(Date.now() - 13 * DAY_MS), timeZone));
  const [to, setTo] = useState(() => dayIn(new Date(), timeZone));
  const sales = useLoad(() => api.get<SalesResponse>(`/stores/${storeId}/sales`, { from, to }), [api, storeId, from, to], 30_000);
  const days = sales.data?.days ?? [];
  const max = Math.max(1, ...days.map((d) => d.salesCents));
  const totalOrders = days.reduce((n, d) => n + d.orders, 0);
  const totalSales = days.reduce((n, d) => n + d.salesCents, 0);
  const currency = sales.data?.currency ?? null;

  return (
    <section aria-label="Sales">
      <div className="toolbar">
        <div className="toolbar__field">
          <label htmlFor="sales-from">From</label>
          <input id="sales-from" type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
        </div>
        <div className="toolbar__field">
          <label htmlFor="sales-to">To</label>
          <input id="sales-to" type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
        </div>
        {sales.data && (
          <p className="totals">
            <span className="muted">Days in {timeZone} · </span>
            <strong>{plural(totalOrders, 'order')}</strong> · <strong>{money(totalSales, currency)}</strong> sales · average ticket{' '}
            {totalOrders ? money(Math.round(totalSales / totalOrders), currency) : '—'}
          </p>
        )}
      </div>
      <ErrorBanner error={sales.error} onRetry={() => void sales.reload()} />
      {sales.data && currency === null && (
        <Notice kind="info">
          This store has no currency set, so amounts are shown without one. An admin sets it in the store's{' '}
          <Link to={`/stores/${storeId}/settings`}>settings</Link> as <span className="code">{STORE_CURRENCY_SETTING}</span>, an ISO 4217 code such as GBP or
          EUR.
        </Notice>
      )}
      <UncountedEvents storeId={storeId} />
      {!sales.data && sales.loading && <Loading what="the sales" />}
      {days.length > 0 && (
        <div className="table-wrap">
          <table className="table table--compact" aria-label="Sales per day">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">
                  Orders
                </th>
                <th scope="col" className="num">
                  Sales
                </th>
                <th scope="col" className="bar-col">
                  <span className="sr-only">Chart</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...days].reverse().map((d) => (
                <tr key={d.day}>
                  <td>{new Date(`${d.day}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', day: '2-digit', month: 'short' })}</td>
                  <td className="num">{d.orders}</td>
                  <td className="num">{money(d.salesCents, currency)}</td>
                  <td className="bar-col" aria-hidden="true">
                    {d.salesCents > 0 && <span className="bar" style={{ width: `${Math.max(0.5, (d.salesCents / max) * 100)}%` }} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <EventsList storeId={storeId} />
    </section>
  );
}

/** The store's ingested events in cloud order, a page at a time. */
function EventsList({ storeId }: { storeId: string }) {
  const { api } = useSignedIn();
  const [after, setAfter] = useState(0);
  const [history, setHistory] = useState<number[]>([]);
  const page = useLoad(() => api.get<CloudEventsPage>(`/stores/${storeId}/events`, { after, limit: 25 }), [api, storeId, after]);
  const events = page.data?.events ?? [];
  return (
    <section aria-label="Ingested events" className="events">
      <h2>Ingested events</h2>
      <ErrorBanner error={page.error} onRetry={() => void page.reload()} />
      {!page.data && page.loading && <Loading what="the events" />}
      {page.data && events.length === 0 && <Empty>{after === 0 ? 'No event from this store yet.' : 'No more events.'}</Empty>}
      {events.length > 0 && (
        <div className="table-wrap">
          <table className="table table--compact" aria-label="Events">
            <thead>
              <tr>
                <th scope="col">Cloud seq</th>
                <th scope="col">Type</th>
                <th scope="col">Aggregate</th>
                <th scope="col">Device</th>
                <th scope="col">Origin</th>
                <th scope="col">At</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.eventId}>
                  <td className="num">{e.cloudSeq}</td>
                  <td>
                    <span className="code">{e.type}</span>
                  </td>
                  <td className="code">{e.aggregateId}</td>
                  <td>{e.actor.deviceId}</td>
                  <td>{e.origin}</td>
                  <td>{dateTime(e.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="btn"
          disabled={history.length === 0}
          onClick={() => (setAfter(history.at(-1) ?? 0), setHistory((h) => h.slice(0, -1)))}
        >
          Previous
        </button>
        <button type="button" className="btn" disabled={events.length < 25} onClick={() => (setHistory((h) => [...h, after]), setAfter(page.data!.nextCursor))}>
          Next
        </button>
      </div>
    </section>
  );
}
