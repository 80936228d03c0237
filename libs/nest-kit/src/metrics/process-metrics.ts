import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client's default gauges whose names end in `_total`: Prometheus keeps that suffix for
 * counters, and `promtool check metrics` refuses them. Each is only the sum over `type` of the
 * gauge beside it (`nodejs_active_handles{type}` and so on), so dropping them loses nothing.
 */
export const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** The process and Node.js metrics of prom-client (CPU, memory, event loop lag, GC...), promtool-clean, on `registry`. */
export function collectProcessMetrics(registry: Registry, prefix: string): void {
  collectDefaultMetrics({ register: registry, prefix });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(`${prefix}${name}`);
}
