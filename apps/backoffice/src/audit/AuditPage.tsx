import { AuditTable } from './AuditTable.js';

export function AuditPage() {
  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">Every operator action and every command outcome, newest first. Append-only.</p>
        </div>
      </div>
      <AuditTable />
    </section>
  );
}
