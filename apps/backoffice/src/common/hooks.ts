import { useCallback, useEffect, useRef, useState, type RefCallback } from 'react';
import { useRecoveries } from '../api/ServiceBanner.js';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again now (keeps showing the previous data meanwhile). */
  reload: () => Promise<void>;
  /** When the data was last loaded successfully. */
  loadedAt: Date | null;
}

/**
 * Loads `load()` when its dependencies change and, with `intervalMs`, again on that period while the
 * tab is visible (the fleet and command lists refresh by themselves). A load that failed during an
 * outage is made again as soon as the cloud is back.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], intervalMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setData(value);
      setError(null);
      setLoadedAt(new Date());
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    void run();
  }, deps);

  const recoveries = useRecoveries();
  const failed = error !== null;
  useEffect(() => {
    // Only a recovery triggers this; a load that fails later waits for the next one.
    if (recoveries > 0 && failed) void run();
  }, [recoveries]);

  useEffect(() => {
    if (!intervalMs) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void run();
    }, intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs, run]);

  return { data, error, loading, reload: run, loadedAt };
}

/**
 * A ref for a sticky bar: while the element is on the page its height is the CSS variable `name`
 * on <html>, which the stylesheet turns into scroll padding, so focusing a field (a click, Tab, a
 * row just added) scrolls it clear of the bar instead of leaving it underneath.
 */
export function useStickyInset(name: '--sticky-top' | '--sticky-bottom'): RefCallback<HTMLElement> {
  return useCallback(
    (el: HTMLElement | null) => {
      if (!el) return undefined;
      const root = document.documentElement;
      const observer = new ResizeObserver(() => root.style.setProperty(name, `${Math.ceil(el.getBoundingClientRect().height)}px`));
      observer.observe(el);
      return () => {
        observer.disconnect();
        root.style.removeProperty(name);
      };
    },
    [name],
  );
}
