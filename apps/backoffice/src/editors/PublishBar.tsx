import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { FleetResponse, FleetStoreView, SyncDomain } from '@app/contracts';
import { errorMessage } from '../api/client.js';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad, useStickyInset } from '../common/hooks.js';
import { plural, shortId } from '../common/format.js';
import { Notice } from '../common/ui.js';
import type { DomainEditor, PublishOutcome } from './useDomainEditor.js';

interface Props {
  storeId: string;
  domain: SyncDomain;
  /** The revision the editor's rows were loaded from. */
  revision: number;
  /** The editor's state and actions (useDomainEditor). */
  editor: Pick<DomainEditor<unknown>, 'changedCount' | 'busy' | 'outcome' | 'publish' | 'discard' | 'rebase'>;
  /** Offer publishing the same change to other stores (the fleet route). */
  fleet?: boolean;
}

/** The bottom of an editor: what changed, publish (only for those who may), and what came of it. */
export function PublishBar({ storeId, domain, revision, editor, fleet }: Props) {
  const { changedCount, busy, outcome, publish, discard, rebase } = editor;
  const { api, can } = useSignedIn();
  const [others, setOthers] = useState<string[]>([]);
  const [choosing, setChoosing] = useState(false);
  const [rebaseError, setRebaseError] = useState<unknown>(null);
  const offerFleet = Boolean(fleet) && can.publish(domain);
  const fleetView = useLoad(() => (offerFleet ? api.get<FleetResponse>('/stores') : Promise.resolve(null)), [api, offerFleet]);
  const stores = fleetView.data?.stores ?? [];
  const codes = new Map(stores.map((s) => [s.id, s.code]));
  const sticky = useStickyInset('--sticky-bottom');
  if (!can.publish(domain)) {
    return (
      <p className="muted read-only-note">
        Read only: publishing the {domain} needs {domain === 'menu' ? 'the admin or menu editor role' : 'the admin role'}.
      </p>
    );
  }
  return (
    <div className="publish" ref={sticky}>
      <OutcomeBanner outcome={outcome} domain={domain} codes={codes} onRebase={() => rebase().catch(setRebaseError)} onDiscard={discard} />
      {rebaseError ? <Notice kind="error">{errorMessage(rebaseError)}</Notice> : null}
      {choosing && <StorePicker stores={stores.filter((s) => s.id !== storeId)} error={fleetView.error} selected={others} onChange={setOthers} />}
      <div className="publish__bar">
        <span className="muted">
          {changedCount === 0 ? 'No changes' : plural(changedCount, 'change')} · editing r{revision}
        </span>
        <div className="publish__actions">
          {fleet && (
            <button type="button" className="btn" onClick={() => setChoosing((c) => !c)} aria-expanded={choosing}>
              {others.length > 0 ? `Also to ${plural(others.length, 'other store')}` : 'Publish to several stores…'}
            </button>
          )}
          <button type="button" className="btn" onClick={discard} disabled={busy || changedCount === 0}>
            Discard changes
          </button>
          <button type="button" className="btn btn--primary" onClick={() => void publish(others)} disabled={busy || changedCount === 0}>
            {busy ? 'Publishing…' : others.length > 0 ? `Publish to ${plural(others.length + 1, 'store')}` : 'Publish'}
          </button>
        </div>
      </div>
    </div>
  );
}

function OutcomeBanner({
  outcome,
  domain,
  codes,
  onRebase,
  onDiscard,
}: {
  outcome: PublishOutcome | null;
  domain: SyncDomain;
  codes: Map<string, string>;
  onRebase: () => void;
  onDiscard: () => void;
}) {
  if (!outcome) return null;
  switch (outcome.kind) {
    case 'published':
      return (
        <Notice kind="success">
          {outcome.revisions.length === 1 ? 'Published ' : `Published to ${plural(outcome.revisions.length, 'store')}: `}
          {outcome.revisions.map((r, i) => (
            <span key={r.storeId}>
              {i > 0 && ', '}
              {outcome.revisions.length > 1 && `${codes.get(r.storeId) ?? shortId(r.storeId)} `}revision {r.revision} (command{' '}
              <Link to={`/stores/${r.storeId}/commands?command=${r.commandId}`}>{shortId(r.commandId)}</Link>)
            </span>
          ))}
          . The store applies it when its agent picks the command up.
        </Notice>
      );
    case 'conflict':
      return (
        <Notice kind="warning">
          <strong>Someone else published the {domain} first</strong> (it is now at revision{' '}
          {Number.isNaN(outcome.currentRevision) ? 'newer' : outcome.currentRevision}). Nothing was published. Your changes are kept: reload their version and
          re-apply yours on top, check, and publish again.
          <span className="banner__actions">
            <button type="button" className="btn btn--small btn--primary" onClick={onRebase}>
              Reload and re-apply my changes
            </button>
            <button type="button" className="btn btn--small" onClick={onDiscard}>
              Discard my changes
            </button>
          </span>
        </Notice>
      );
    case 'invalid':
      return outcome.count === 0 ? (
        <Notice kind="info">Nothing to publish.</Notice>
      ) : (
        <Notice kind="error">
          {plural(outcome.count, 'row')} {outcome.count === 1 ? 'has' : 'have'} errors; fix the fields marked in red.
        </Notice>
      );
    case 'failed':
      return (
        <Notice kind="error">
          Not published: {errorMessage(outcome.error)}
          {outcome.other && outcome.other.length > 0 && (
            <ul>
              {outcome.other.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          )}
        </Notice>
      );
  }
}

function StorePicker({
  stores,
  error,
  selected,
  onChange,
}: {
  stores: FleetStoreView[];
  error: unknown;
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  return (
    <fieldset className="store-picker">
      <legend>Also publish the same change to</legend>
      {error ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
      {stores.length === 0 && <p className="muted">There is no other store.</p>}
      {stores.length > 0 && (
        <p className="store-picker__all">
          <button type="button" className="btn btn--small" onClick={() => onChange(stores.map((s) => s.id))}>
            Select all
          </button>{' '}
          <button type="button" className="btn btn--small" onClick={() => onChange([])}>
            Clear
          </button>{' '}
          <span className="muted">Each store gets the change on top of its own current state.</span>
        </p>
      )}
      <div className="store-picker__list">
        {stores.map((s) => (
          <label key={s.id} className="check">
            <input type="checkbox" checked={selected.includes(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} /> {s.code} {s.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
