import { CommandsTable } from './CommandsTable.js';

export function CommandsPage() {
  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Commands</h1>
          <p className="muted">
            Every store's configuration commands, newest first. Open one for its log; retry the dead-lettered ones once their cause is fixed.
          </p>
        </div>
      </div>
      <CommandsTable />
    </section>
  );
}
