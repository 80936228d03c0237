import { AppException } from '@app/nest-kit';

export type NodesErrorCode = 'NODE_ALREADY_REVOKED';

export class NodesException extends AppException {
  static alreadyRevoked(nodeId: string): NodesException {
    return new NodesException('NODE_ALREADY_REVOKED', `node '${nodeId}' is already revoked`, 409);
  }

  private constructor(code: NodesErrorCode, message: string, status: number) {
    super(code, message, status);
  }
}
