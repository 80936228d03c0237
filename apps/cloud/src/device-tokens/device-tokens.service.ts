import { Injectable } from '@nestjs/common';
import type { DeviceTokenResponse } from '@app/contracts';
import { signClusterToken } from '@app/crypto';
import { AuditService } from '../audit/audit.service.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { operatorActor } from '../common/actor.js';
import { CloudConfig } from '../config/cloud-config.js';
import { StoresService } from '../stores/stores.service.js';

export const DEFAULT_DEVICE_TOKEN_TTL_SECONDS = 12 * 3600;

/** Cluster tokens (ES256, role device) that let a till or display join its store's hub. */
@Injectable()
export class DeviceTokensService {
  constructor(
    private readonly config: CloudConfig,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
  ) {}

  async issue(operator: OperatorPrincipal, storeId: string, deviceId: string, ttlSeconds = DEFAULT_DEVICE_TOKEN_TTL_SECONDS): Promise<DeviceTokenResponse> {
    const store = await this.stores.require(operator.scope, storeId);
    const now = Date.now();
    const token = signClusterToken(
      { sub: deviceId, tenantId: store.tenantId, storeId: store.id, role: 'device' },
      this.config.clusterSigningKey,
      ttlSeconds,
      now,
    );
    const expiresAt = new Date(Math.floor(now / 1000) * 1000 + ttlSeconds * 1000).toISOString();
    await this.audit.recordNow(operator.scope, {
      storeId: store.id,
      actor: operatorActor(operator.operatorId),
      action: 'device_token.issued',
      targetType: 'device',
      targetId: deviceId,
      details: { expiresAt },
    });
    return { token, expiresAt };
  }
}
