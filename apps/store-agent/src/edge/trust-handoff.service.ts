import { Injectable, Logger } from '@nestjs/common';
import { HttpUnreachableError } from '../common/http-json.js';
import { IdentityService } from '../identity/identity.service.js';
import { EdgeClient } from './edge-client.js';

/**
 * Hands the cloud's command keys to the hub (`PUT /api/v1/trust/signing-keys`) as the token the
 * cloud signed with the cluster key: at registration, renewal and every heartbeat, so a key
 * rotation reaches the hub without reconfiguring it. The hub ignores a set older than its own.
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
}
