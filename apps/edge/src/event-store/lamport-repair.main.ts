import { z } from 'zod';
import { ConfigError, loadConfig } from '@app/nest-kit';
import { openEdgeDatabase } from '../database/sqlite-database.js';
import { repairLamportClock } from './lamport-repair.js';

/**
 * `node dist/apps/edge/src/event-store/lamport-repair.main.js [--above=N] [--apply]`, on a stopped hub with its
 * EDGE_DATA_DIR: reports the events whose Lamport time is past the hub's bound and, with
 * `--apply`, brings the hub's clock back below it (lamport-repair.ts; docs/edge.md, The Lamport
 * clock). Without `--apply` it changes nothing.
 */
const schema = z.object({ EDGE_DATA_DIR: z.string().default('./data') });

try {
  const config = loadConfig('lamport-repair', schema, process.env);
  const args = process.argv.slice(2);
  const apply = args.includes('--apply');
  const above = args.find((arg) => arg.startsWith('--above='))?.slice('--above='.length);
  const db = openEdgeDatabase(config.EDGE_DATA_DIR);
  try {
    const result = repairLamportClock(db, { apply, ...(above === undefined ? {} : { above: Number(above) }) });
    if (result.events.length === 0) {
      console.log(`no event is past ${result.max} (the hub's Lamport clock is ${result.clockBefore}): nothing to repair`);
    } else {
      console.log(`the hub's Lamport clock is ${result.clockBefore}; ${result.events.length} events are past ${result.max}:`);
      for (const event of result.events) console.log(`  seq ${event.seq}  ${event.eventId}  ${event.type}  lamport ${event.lamport}`);
      console.log(
        result.applied
          ? `repaired: their clock index is now ${result.clockAfter}, the clock restarts from there (recorded in meta lamport.repairs); start the hub`
          : `dry run: nothing changed; run again with --apply to set their clock index to ${result.clockAfter}`,
      );
    }
  } finally {
    db.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof RangeError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
