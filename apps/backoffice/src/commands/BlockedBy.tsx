import type { BlockingDeadLetterView } from '@app/contracts';
import { shortId } from '../common/format.js';

/** "blocked by dead-lettered command 0193…d5e (seq 4, PAYLOAD_TOO_LARGE)": why a PENDING command is not delivered. */
export function BlockedBy({ blockedBy }: { blockedBy: BlockingDeadLetterView }) {
  return (
    <span className="blocked-by" title={blockedBy.commandId}>
      blocked by dead-lettered command <span className="code">{shortId(blockedBy.commandId)}</span> (seq {blockedBy.seq}
      {blockedBy.errorCode ? (
        <>
          , <span className="code">{blockedBy.errorCode}</span>
        </>
      ) : null}
      )
    </span>
  );
}
