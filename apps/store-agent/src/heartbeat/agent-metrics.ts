import { Injectable } from '@nestjs/common';

export type AgentCounter =
  | 'commands_applied'
  | 'commands_failed'
  | 'commands_replayed'
  | 'commands_unanswerable'
  | 'events_uploaded'
  | 'events_duplicate'
  | 'events_rejected'
  | 'cloud_events_appended'
  | 'cloud_events_rejected';

/** What the agent did since it started, written to health.json for whoever watches the box. */
@Injectable()
export class AgentMetrics {
  private readonly counters = new Map<AgentCounter, number>();
  readonly startedAt = new Date();

  count(counter: AgentCounter, by = 1): void {
    this.counters.set(counter, (this.counters.get(counter) ?? 0) + by);
  }

  get(counter: AgentCounter): number {
    return this.counters.get(counter) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counters].sort(([a], [b]) => a.localeCompare(b)));
  }
}
