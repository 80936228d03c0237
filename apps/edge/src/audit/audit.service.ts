import { Injectable } from '@nestjs/common';
import type { EdgeAuditPage, EdgeAuditQuery } from '@app/contracts';
import { EdgeAuditRepository, type NewEdgeAuditEntry } from './audit.repository.js';

/** The hub's local audit trail: every applied command, trust change and cloud cursor move. */
@Injectable()
export class EdgeAuditService {
  constructor(private readonly repository: EdgeAuditRepository) {}

  /** Inside the caller's transaction when there is one. */
  record(entry: NewEdgeAuditEntry): void {
    this.repository.insert(entry);
  }

  list(query: EdgeAuditQuery): EdgeAuditPage {
    const entries = this.repository.list(query.limit, query.before);
    return { entries, nextBefore: entries.length === query.limit ? entries[entries.length - 1]!.id : null };
  }
}
