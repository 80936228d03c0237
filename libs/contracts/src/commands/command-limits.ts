/**
 * The largest command envelope a hub accepts, as JSON in UTF-8 bytes: the edge's request body
 * limit, and what the cloud checks before it stores a revision. One number for both, so that a
 * command the cloud signs is never one the hub refuses for its size (a refusal would be final:
 * the same bytes never fit on a second try).
 */
export const MAX_COMMAND_ENVELOPE_BYTES = 2 * 1024 * 1024;

/**
 * What an envelope's fields other than its payload take at most: key names, ids (64 characters),
 * seq and revisions (16 digits), two timestamps, a key id of 128 characters even if each one had
 * to be escaped, and the signature. A unit test builds the largest such envelope and measures it.
 */
export const COMMAND_ENVELOPE_OVERHEAD_BYTES = 4 * 1024;

/**
 * The largest payload a command may carry, as JSON (`jsonByteLength`: RFC 8785 canonical JSON only
 * orders the keys differently, so the signed bytes have the same length): a patch's change, or a
 * snapshot's whole state.
 */
export const MAX_COMMAND_PAYLOAD_BYTES = MAX_COMMAND_ENVELOPE_BYTES - COMMAND_ENVELOPE_OVERHEAD_BYTES;
