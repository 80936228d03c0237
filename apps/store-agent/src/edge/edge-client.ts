import { Injectable } from '@nestjs/common';
import { errorOf, httpJson, type HttpAnswer } from '../common/http-json.js';
import { EdgeRequestError } from '../common/agent-errors.js';
import { AgentConfig } from '../config/agent-config.js';
import { IdentityService } from '../identity/identity.service.js';

const DEFAULT_TIMEOUT_MS = 10_000;
/** A hub that keeps refusing the token (configured with another cluster key) costs one renewal a minute, not one per call. */
const RENEW_ON_401_EVERY_MS = 60_000;

/**
 * The agent's side of the hub's HTTP API, with its cluster token (role agent). A 401 renews the
 * token once (it may have expired while the cloud was away) and repeats the call.
 */
@Injectable()
export class EdgeClient {
  private lastRenewal = 0;

  constructor(
    private readonly config: AgentConfig,
    private readonly identity: IdentityService,
  ) {}

  /** Any status is returned; only a hub that does not answer throws (HttpUnreachableError). */
  async call<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<HttpAnswer<T>> {
    const send = () =>
      httpJson<T>({
        method,
        url: `${this.config.edgeUrl}${path}`,
        token: this.identity.current.agentToken,
        body,
        headers: options.headers,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: options.signal,
      });
    const res = await send();
    if (res.status !== 401 || Date.now() - this.lastRenewal < RENEW_ON_401_EVERY_MS) return res;
    this.lastRenewal = Date.now();
    try {
      await this.identity.renew();
    } catch {
      return res; // the cloud is away: the hub's refusal stands
    }
    return send();
  }

  /** Like call, but anything but 2xx throws EdgeRequestError. */
  async ok<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const res = await this.call<T>(method, path, body, options);
    if (res.status >= 200 && res.status < 300) return res.body;
    const { code, message } = errorOf(res.body);
    throw new EdgeRequestError(res.status, code, `edge ${method} ${path} answered ${res.status}${code ? ` ${code}` : ''}: ${message}`, res.body);
  }
}
