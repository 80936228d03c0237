/** Who did something: an operator, a store node, or the cloud itself (timers, reconciliation). */
export interface Actor {
  type: 'OPERATOR' | 'NODE' | 'SYSTEM';
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: null };

export const operatorActor = (operatorId: string): Actor => ({ type: 'OPERATOR', id: operatorId });
export const nodeActor = (nodeId: string): Actor => ({ type: 'NODE', id: nodeId });
