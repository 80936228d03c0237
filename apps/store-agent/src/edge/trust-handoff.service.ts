import { Injectable, Logger } from '@nestjs/common';
import type { TrustRevocationsResponse } from '@app/contracts';
import { HttpUnreachableError } from '../common/http-json.js';
import { IdentityService } from '../identity/identity.service.js';
import { EdgeClient } from './edge-client.js';

/**
 * Hands the cloud's command keys to the hub (`PUT /api/v1/trust/signing-keys`) as the token the
 * cloud signed with the cluster key: at registration, renewal and every heartbeat, so a key
 * rotation reaches the hub without reconfiguring it. The hub ignores a set older than its own.
 * Hands over the store's node revocations the same way (the heartbeat answer's signed list), and
 * reports this node's own revocation when the cloud says so.
 */
@Injectable()
export class TrustHandoffService {
  private readonly logger = new Logger(TrustHandoffService.name);
  private handedOver: string | null = null;

  constructor(
    private readonly identity: IdentityService,
    private readonly edge: EdgeClient,
  ) {
    identity.onKeys(() => void this.push().catch(() => undefined));
  }

  /** True when the hub took the current keys. Never throws for a hub that is down. */
  async push(): Promise<boolean> {
    const token = this.identity.current.signingKeysToken;
    try {
      const res = await this.edge.call('PUT', '/api/v1/trust/signing-keys', { token });
      if (res.status >= 200 && res.status < 300) {
        if (this.handedOver !== token) this.logger.log('the hub has the current command-signing keys');
        this.handedOver = token;
        return true;
      }
      this.logger.warn(`the hub refused the command-signing keys: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return false;
    } catch (error) {
      if (error instanceof HttpUnreachableError) return false;
      throw error;
    }
  }

  /** Hands the cloud-signed list of the store's revoked nodes to the hub. Never throws for a hub that is down. */
  async pushRevocations(token: string): Promise<boolean> {
    try {
      const res = await this.edge.call<TrustRevocationsResponse>('PUT', '/api/v1/trust/revocations', { token });
      if (res.status >= 200 && res.status < 300) {
        if (res.body.added.length > 0) this.logger.log(`the hub now refuses the tokens of revoked node(s) ${res.body.added.join(', ')}`);
        return true;
      }
      this.logger.warn(`the hub refused the node revocations: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return false;
    } catch (error) {
      if (error instanceof HttpUnreachableError) return false;
      throw error;
    }
  }

  /**
   * The cloud revoked this node: tell the hub to refuse this agent's tokens from now on. An
   * honest agent's courtesy (a stolen copy of its token is then refused at once); the cloud's
   * signed list, through the replacement node, is what the hub does not depend on us for.
   */
  async reportOwnRevocation(): Promise<void> {
    try {
      const res = await this.edge.call('POST', '/api/v1/trust/revocations/self', {}, { timeoutMs: 3_000 });
      if (res.status >= 200 && res.status < 300) this.logger.log("told the hub to refuse this revoked node's tokens");
      else this.logger.warn(`the hub did not take this node's revocation: ${res.status}`);
    } catch (error) {
      this.logger.warn(`could not tell the hub that this node is revoked: ${(error as Error).message}`);
    }
  }
}
