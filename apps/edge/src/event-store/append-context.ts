import type { ClusterRole } from '@app/contracts';

/** Who appends an event, and through which door. */
export interface AppendContext {
  /** The cluster token's subject: the device (or the agent) that sends the event. */
  deviceId: string;
  role: ClusterRole;
  /** `cloud`: an event from the cloud side, posted by the agent over HTTP. */
  origin: 'device' | 'cloud';
  /** The Socket.IO connection the event came through: the relay skips it. */
  socketId?: string;
}
