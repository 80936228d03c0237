import { Injectable, Logger } from '@nestjs/common';
import { hashSecret, randomToken, verifySecret } from '@app/crypto';
import type { LoginRequest, LoginResponse, OperatorView } from '@app/contracts';
import { AuditService } from '../audit/audit.service.js';
import { operatorActor } from '../common/actor.js';
import { OperatorsRepository } from '../operators/operators.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { AccessTokensService } from './access-tokens.service.js';
import { AuthException } from './auth.exception.js';
import type { OperatorPrincipal } from './principals.js';

export function toOperatorView(operator: Pick<OperatorPrincipal, 'operatorId' | 'email' | 'displayName' | 'role' | 'tenantId' | 'tenantSlug'>): OperatorView {
  return {
    id: operator.operatorId,
    email: operator.email,
    displayName: operator.displayName,
    role: operator.role,
    tenantId: operator.tenantId,
    tenantSlug: operator.tenantSlug,
  };
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Checked against when the email is unknown, so a wrong email costs as long as a wrong password. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly operators: OperatorsRepository,
    private readonly tokens: AccessTokensService,
    private readonly audit: AuditService,
  ) {}

  async login(input: LoginRequest): Promise<LoginResponse> {
    const operator = await this.operators.findByEmailForLogin(input.email);
    const passwordOk = await verifySecret(input.password, operator?.passwordHash ?? (await this.decoy()));
    if (!operator || !passwordOk) {
      this.logger.warn(`failed login for ${input.email.toLowerCase()}`);
      throw new AuthException('INVALID_CREDENTIALS', 'email or password is wrong');
    }
    if (!operator.active) throw new AuthException('OPERATOR_DISABLED', 'this operator is disabled');
    const scope = tenantScope(operator.tenantId);
    const withTenant = (await this.operators.findWithTenant(scope, operator.id))!;
    const issued = this.tokens.signOperatorToken(operator);
    const now = new Date();
    await this.operators.recordLogin(scope, operator.id, now);
    await this.audit.recordNow(scope, {
      storeId: null,
      actor: operatorActor(operator.id),
      action: 'operator.logged_in',
      targetType: 'operator',
      targetId: operator.id,
    });
    return {
      accessToken: issued.token,
      expiresAt: issued.expiresAt.toISOString(),
      operator: toOperatorView({ ...withTenant, operatorId: withTenant.id }),
    };
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashSecret(randomToken());
    return this.decoyHash;
  }
}
