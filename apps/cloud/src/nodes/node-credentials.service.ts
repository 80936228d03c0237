import { Injectable } from '@nestjs/common';
import type { KeysResponse } from '@app/contracts';
import { signClusterToken, signSigningKeysToken } from '@app/crypto';
import { AccessTokensService } from '../auth/access-tokens.service.js';
import { CloudConfig } from '../config/cloud-config.js';

/** The agent's cluster token (role agent, for its own hub) lives this long; it is renewed with the access token. */
export const AGENT_TOKEN_TTL_SECONDS = 24 * 3600;

export interface NodeCredentials extends KeysResponse {
  accessToken: string;
  accessTokenExpiresAt: string;
  agentToken: string;
}

/** What a node receives at registration and at every renewal: tokens and the keys it must trust. */
@Injectable()
export class NodeCredentialsService {
  constructor(
    private readonly config: CloudConfig,
    private readonly tokens: AccessTokensService,
  ) {}

  keys(now = Date.now()): KeysResponse {
    return {
      signingKeys: this.config.commandVerifyKeys,
      clusterPublicKey: this.config.clusterPublicKeyBase64,
      signingKeysToken: signSigningKeysToken(this.config.commandVerifyKeys, this.config.clusterSigningKey, now),
    };
  }

  issue(node: { id: string; tenantId: string; storeId: string }, now = Date.now()): NodeCredentials {
    const access = this.tokens.signNodeToken(node, now);
    return {
      ...this.keys(now),
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      agentToken: signClusterToken(
        { sub: node.id, tenantId: node.tenantId, storeId: node.storeId, role: 'agent' },
        this.config.clusterSigningKey,
        AGENT_TOKEN_TTL_SECONDS,
        now,
      ),
    };
  }
}
