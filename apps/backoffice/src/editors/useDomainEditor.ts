import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DomainStateResponse, PublishFleetRevisionResponse, PublishRevisionResponse } from '@app/contracts';
import { ApiError } from '../api/client.js';
import { useSignedIn } from '../auth/AuthContext.js';
import { serverFieldErrors } from './field-errors.js';
import { collectChanges, isChanged, mapServerErrors, rebaseRows, rowsOf, type DomainEditorSpec, type Row } from './domain-editor.js';

export type PublishOutcome =
  | { kind: 'published'; revisions: { storeId: string; revision: number; commandId: string }[] }
  | { kind: 'conflict'; currentRevision: number }
  | { kind: 'invalid'; count: number }
  | { kind: 'failed'; error: unknown; other?: string[] };

let newRows = 0;

/**
 * One domain editor's state: the desired state it loaded (and its revision, sent back as
 * `ifMatchRevision`), the rows being edited, their errors, and publishing (to this store, or the
 * same change to several stores through the fleet route).
 */
export function useDomainEditor<S, D, U>(storeId: string, spec: DomainEditorSpec<S, D, U>) {
  const { api } = useSignedIn();
  const [loaded, setLoaded] = useState<DomainStateResponse | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [rows, setRows] = useState<Row<D>[]>([]);
  const [errors, setErrors] = useState<Record<string, Record<string, string>>>({});
  const [outcome, setOutcome] = useState<PublishOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const specRef = useRef(spec);
  specRef.current = spec;

  const fetchState = useCallback(() => api.get<DomainStateResponse>(`/stores/${storeId}/revisions/${specRef.current.domain}/latest`), [api, storeId]);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const state = await fetchState();
      setLoaded(state);
      setRows(rowsOf(specRef.current, state.state));
      setErrors({});
    } catch (error) {
      setLoadError(error);
    }
  }, [fetchState]);

  useEffect(() => {
    void load();
  }, [load]);

  const changes = useMemo(() => collectChanges(spec, rows), [spec, rows]);
  const changedCount = rows.filter(isChanged).length;

  const update = useCallback((key: string, patch: Partial<D>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, draft: { ...r.draft, ...patch } } : r)));
    setErrors((es) => {
      if (!es[key]) return es;
      const row = { ...es[key] };
      for (const field of Object.keys(patch)) delete row[field];
      return { ...es, [key]: row };
    });
  }, []);
  const add = useCallback(() => {
    const key = `n:${++newRows}`;
    setRows((rs) => [...rs, { key, original: null, draft: specRef.current.blank(), removed: false }]);
    return key;
  }, []);
  const setRemoved = useCallback((key: string, removed: boolean) => {
    setRows((rs) => rs.flatMap((r) => (r.key !== key ? [r] : r.original === null && removed ? [] : [{ ...r, removed }])));
  }, []);
  const discard = useCallback(() => {
    if (loaded) setRows(rowsOf(specRef.current, loaded.state));
    setErrors({});
    setOutcome(null);
  }, [loaded]);

  /** Someone else published first: load theirs and put these changes on top, to review and publish again. */
  const rebase = useCallback(async () => {
    const latest = await fetchState();
    setRows((mine) => rebaseRows(specRef.current, mine, latest.state));
    setLoaded(latest);
    setOutcome(null);
  }, [fetchState]);

  const publish = useCallback(
    async (alsoStoreIds: string[] = []): Promise<PublishOutcome> => {
      const current = collectChanges(specRef.current, rows);
      setErrors(current.errors);
      const invalid = Object.keys(current.errors).length;
      if (invalid > 0) return done({ kind: 'invalid', count: invalid });
      if (current.upserts.length + current.removals.length === 0 || !loaded) return done({ kind: 'invalid', count: 0 });
      const payload = specRef.current.payload(current.upserts, current.removals);
      setBusy(true);
      try {
        if (alsoStoreIds.length === 0) {
          const res = await api.post<PublishRevisionResponse>(`/stores/${storeId}/revisions`, {
            domain: specRef.current.domain,
            payload,
            ifMatchRevision: loaded.revision,
          });
          await load();
          return done({ kind: 'published', revisions: [{ storeId, ...res }] });
        }
        const res = await api.post<PublishFleetRevisionResponse>('/revisions', {
          domain: specRef.current.domain,
          payload,
          storeIds: [storeId, ...alsoStoreIds],
        });
        await load();
        return done({ kind: 'published', revisions: res.revisions });
      } catch (error) {
        if (error instanceof ApiError && error.statusCode === 409 && error.code === 'REVISION_CONFLICT') {
          const currentRevision = Number((error.details as { currentRevision?: number } | undefined)?.currentRevision ?? NaN);
          return done({ kind: 'conflict', currentRevision });
        }
        const mapped = mapServerErrors(specRef.current, current, rows, serverFieldErrors(error, 'payload.'));
        if (Object.keys(mapped.rows).length > 0) setErrors(mapped.rows);
        return done({ kind: 'failed', error, other: mapped.other });
      } finally {
        setBusy(false);
      }
    },
    [api, storeId, rows, loaded, load],
  );

  function done(o: PublishOutcome): PublishOutcome {
    setOutcome(o);
    return o;
  }

  return { loaded, loadError, load, rows, errors, changes, changedCount, update, add, setRemoved, discard, rebase, publish, outcome, setOutcome, busy };
}

export type DomainEditor<D> = ReturnType<typeof useDomainEditor<unknown, D, unknown>>;
