/**
 * The Node options each app runs with, keyed by its built entry. Production starts the apps with
 * them (the Dockerfiles' CMD and the `start:*` scripts; test/deploy checks that they agree), and
 * so do the tests, the demo and the benchmarks, so that what they measure is what a store runs.
 *
 * The cloud runs with a larger young generation (32 MB a semi-space): ingest and delivery allocate
 * many short-lived objects, and fewer scavenges measurably raise their throughput
 * (docs/benchmarks.md, cloud). The edge hub caps it at 4 MB (the default grows to 16 MB): about
 * 25 MB less resident memory on the edge box, with scavenges as short as before, only more
 * frequent (docs/benchmarks.md, edge hub).
 */
export const APP_NODE_ARGS: Readonly<Record<string, readonly string[]>> = {
  'dist/apps/cloud/src/main.js': ['--max-semi-space-size=32'],
  'dist/apps/edge/src/main.js': ['--max-semi-space-size=4'],
};

/** The arguments of `node` that start the built entry (a path relative to the repository root). */
export function nodeArgsFor(entry: string, entryPath = entry): string[] {
  return [...(APP_NODE_ARGS[entry] ?? []), entryPath];
}
