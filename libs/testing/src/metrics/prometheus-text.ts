/**
 * The value of one sample of a Prometheus text exposition whose labels include `labels`, or
 * undefined when there is none.
 */
export function metricSample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = exposition.split('\n').find((l) => l.startsWith(`${name}${wanted.length ? '{' : ' '}`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The metric families of an exposition and their types, from its `# TYPE` lines. */
export function metricTypes(exposition: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types[match[1]!] = match[2]!;
  return types;
}
