import { Registry, collectDefaultMetrics } from 'prom-client';
import { DROPPED_DEFAULT_METRICS, collectProcessMetrics } from './process-metrics.js';

describe(collectProcessMetrics.name, () => {
  it('should register the process metrics with no non-counter named *_total (promtool refuses them)', async () => {
    const registry = new Registry();
    collectProcessMetrics(registry, 'pos_test_');
    const metrics = await registry.getMetricsAsJSON();
    const names = metrics.map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining(['pos_test_process_cpu_user_seconds_total', 'pos_test_nodejs_eventloop_lag_seconds', 'pos_test_nodejs_active_handles']),
    );
    expect(metrics.filter((m) => String(m.type) !== 'counter' && m.name.endsWith('_total')).map((m) => m.name)).toEqual([]);
    for (const dropped of DROPPED_DEFAULT_METRICS) expect(names).not.toContain(`pos_test_${dropped}`);
  });

  it("should drop names that prom-client's defaults really have", async () => {
    // A rename upstream would make the removal silently do nothing: this says so.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'pos_raw_' });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    for (const dropped of DROPPED_DEFAULT_METRICS) expect(names).toContain(`pos_raw_${dropped}`);
  });
});
