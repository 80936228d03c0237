import { Injectable, Logger } from '@nestjs/common';
import { registerNodeResponseSchema, renewNodeTokenResponseSchema, validate, type KeysResponse } from '@app/contracts';
import { CommandKeyring } from '@app/crypto';
import { AgentFatalError, CloudRequestError, EXIT_CONFIG, EXIT_REVOKED } from '../common/agent-errors.js';
import { errorOf, httpJson } from '../common/http-json.js';
import { AgentConfig } from '../config/agent-config.js';
import { AGENT_VERSION } from '../version.js';
import { CredentialsStore, type StoredCredentials } from './credentials-store.js';

const IDENTITY_TIMEOUT_MS = 15_000;
/** Renew when less than this share of the access token's life is left. */
const RENEW_AT_REMAINING = 0.2;
const BOOTSTRAP_FAILURES = new Set(['BOOTSTRAP_TOKEN_INVALID', 'BOOTSTRAP_TOKEN_USED', 'BOOTSTRAP_TOKEN_EXPIRED']);

type KeysListener = (keys: KeysResponse) => void;

/**
 * Who this node is: registers once with the bootstrap token, keeps the credentials on disk, renews
 * the access token (and the agent's cluster token) before they expire or when the cloud answers
 * 401, and holds the command-signing keys the cloud last published.
 */
@Injectable()
export class IdentityService {
  private readonly logger = new Logger(IdentityService.name);
  private readonly store: CredentialsStore;
  private credentials: StoredCredentials | null = null;
  private keyring: CommandKeyring | null = null;
  private renewing: Promise<void> | null = null;
  private issuedAt = 0;
  private readonly keyListeners: KeysListener[] = [];

  constructor(private readonly config: AgentConfig) {
    this.store = new CredentialsStore(config.dataDir);
  }

  get current(): StoredCredentials {
    if (!this.credentials) throw new Error('the node is not registered yet');
    return this.credentials;
  }

  /** True once credentials are loaded or registered. */
  get registered(): boolean {
    return this.credentials !== null;
  }

  get commandKeys(): CommandKeyring {
    if (!this.keyring) throw new Error('the node is not registered yet');
    return this.keyring;
  }

  /** Called with the keys of every registration, renewal and key refresh (the agent hands them to the hub). */
  onKeys(listener: KeysListener): void {
    this.keyListeners.push(listener);
  }

  /**
   * Loads the stored identity or registers a new one. Fatal (no retry helps): no credentials and no
   * bootstrap token, a bootstrap token the cloud refuses, a revoked node. A cloud that does not
   * answer is not fatal: the caller retries.
   */
  async start(): Promise<StoredCredentials> {
    let stored: StoredCredentials | null;
    try {
      stored = this.store.load();
    } catch (error) {
      throw new AgentFatalError((error as Error).message, EXIT_CONFIG);
    }
    if (stored && stored.cloudUrl !== this.config.cloudUrl) {
      this.logger.warn(`the stored credentials were issued by ${stored.cloudUrl}, CLOUD_URL is now ${this.config.cloudUrl}: using them there`);
    }
    if (stored) {
      this.adopt(stored);
      this.logger.log(`node ${stored.nodeId} of store ${stored.storeId} (tenant ${stored.tenantId}): credentials loaded from ${this.store.file}`);
      if (this.needsRenewal()) await this.renew();
      return this.current;
    }
    if (!this.config.bootstrapToken) {
      throw new AgentFatalError(
        `no credentials in ${this.store.file} and no BOOTSTRAP_TOKEN: ask HQ for a bootstrap token (POST ` +
          `/api/v1/stores/:storeId/nodes/bootstrap) and start the agent with BOOTSTRAP_TOKEN set`,
        EXIT_CONFIG,
      );
    }
    await this.register(this.config.bootstrapToken);
    return this.current;
  }

  /** The access token to send now, renewed first when it is close to expiry. */
  async accessToken(): Promise<string> {
    if (this.needsRenewal()) await this.renew();
    return this.current.accessToken;
  }

  /** Trades the node secret for fresh tokens and keys; concurrent callers share one renewal. */
  renew(): Promise<void> {
    this.renewing ??= this.doRenew().finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async register(bootstrapToken: string): Promise<void> {
    const res = await httpJson({
      method: 'POST',
      url: `${this.config.cloudUrl}/api/v1/nodes/register`,
      body: { bootstrapToken, hostname: this.config.hostname, softwareVersion: AGENT_VERSION },
      timeoutMs: IDENTITY_TIMEOUT_MS,
    });
    if (res.status !== 201 && res.status !== 200) {
      const { code, message } = errorOf(res.body);
      if (code && BOOTSTRAP_FAILURES.has(code)) {
        throw new AgentFatalError(`registration refused (${code}): ${message}. Set BOOTSTRAP_TOKEN to a new token from HQ`, EXIT_CONFIG);
      }
      if (res.status === 400) throw new AgentFatalError(`registration refused (${code ?? res.status}): ${message}`, EXIT_CONFIG);
      throw new CloudRequestError(res.status, code, `registration failed with ${res.status}: ${message}`);
    }
    const parsed = validate(registerNodeResponseSchema, res.body);
    if (!parsed.ok)
      throw new CloudRequestError(res.status, null, `registration answer is malformed: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    const r = parsed.value;
    const credentials: StoredCredentials = {
      cloudUrl: this.config.cloudUrl,
      nodeId: r.nodeId,
      tenantId: r.tenantId,
      storeId: r.storeId,
      nodeSecret: r.nodeSecret,
      accessToken: r.accessToken,
      accessTokenExpiresAt: r.accessTokenExpiresAt,
      agentToken: r.agentToken,
      signingKeys: r.signingKeys,
      clusterPublicKey: r.clusterPublicKey,
      signingKeysToken: r.signingKeysToken,
    };
    this.store.save(credentials);
    this.adopt(credentials);
    this.logger.log(`registered as node ${r.nodeId} of store ${r.storeId} (tenant ${r.tenantId}); credentials kept in ${this.store.file}`);
    this.publishKeys();
  }

  private async doRenew(): Promise<void> {
    const current = this.current;
    const res = await httpJson({
      method: 'POST',
      url: `${this.config.cloudUrl}/api/v1/nodes/token`,
      body: { nodeId: current.nodeId, nodeSecret: current.nodeSecret },
      timeoutMs: IDENTITY_TIMEOUT_MS,
    });
    if (res.status !== 200) {
      const { code, message } = errorOf(res.body);
      if (code === 'NODE_REVOKED')
        throw new AgentFatalError(
          `node ${current.nodeId} was revoked by HQ (${message}); stopping. Register a new node with a new BOOTSTRAP_TOKEN`,
          EXIT_REVOKED,
        );
      if (code === 'INVALID_CREDENTIALS')
        throw new AgentFatalError(
          `the cloud does not know node ${current.nodeId} or its secret (${message}); stopping. Register again with a new BOOTSTRAP_TOKEN`,
          EXIT_REVOKED,
        );
      throw new CloudRequestError(res.status, code, `token renewal failed with ${res.status}: ${message}`);
    }
    const parsed = validate(renewNodeTokenResponseSchema, res.body);
    if (!parsed.ok)
      throw new CloudRequestError(res.status, null, `renewal answer is malformed: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    const r = parsed.value;
    const renewed: StoredCredentials = {
      ...current,
      accessToken: r.accessToken,
      accessTokenExpiresAt: r.accessTokenExpiresAt,
      agentToken: r.agentToken,
      signingKeys: r.signingKeys,
      clusterPublicKey: r.clusterPublicKey,
      signingKeysToken: r.signingKeysToken,
    };
    this.store.save(renewed);
    this.adopt(renewed);
    this.logger.log(`access token renewed until ${r.accessTokenExpiresAt}`);
    this.publishKeys();
  }

  /**
   * Keys fetched outside a renewal (the heartbeat's look at GET /api/v1/keys). The cloud signs a
   * fresh token at every request: only a change of the keys themselves is kept (and written to disk).
   */
  updateKeys(keys: KeysResponse): void {
    const current = this.current;
    if (sameKeys(current, keys)) return;
    const updated = { ...current, signingKeys: keys.signingKeys, clusterPublicKey: keys.clusterPublicKey, signingKeysToken: keys.signingKeysToken };
    this.store.save(updated);
    this.adopt(updated);
    this.publishKeys();
  }

  private adopt(credentials: StoredCredentials): void {
    this.credentials = credentials;
    this.keyring = CommandKeyring.fromPublicKeys(credentials.signingKeys);
    this.issuedAt = Date.now();
  }

  private publishKeys(): void {
    const { signingKeys, clusterPublicKey, signingKeysToken } = this.current;
    for (const listener of this.keyListeners) listener({ signingKeys, clusterPublicKey, signingKeysToken });
  }

  private needsRenewal(now = Date.now()): boolean {
    const expiresAt = Date.parse(this.current.accessTokenExpiresAt);
    if (!Number.isFinite(expiresAt)) return true;
    // Life measured from when this process adopted the token: a token loaded from disk may be old.
    const life = Math.max(expiresAt - Math.min(this.issuedAt, now), 0);
    return expiresAt - now <= Math.max(life * RENEW_AT_REMAINING, 30_000);
  }
}

function sameKeys(a: Pick<KeysResponse, 'signingKeys' | 'clusterPublicKey'>, b: Pick<KeysResponse, 'signingKeys' | 'clusterPublicKey'>): boolean {
  const norm = (keys: KeysResponse['signingKeys']) =>
    JSON.stringify([...keys].sort((x, y) => x.keyId.localeCompare(y.keyId)).map((k) => [k.keyId, k.publicKey]));
  return a.clusterPublicKey === b.clusterPublicKey && norm(a.signingKeys) === norm(b.signingKeys);
}
