import { Injectable } from '@nestjs/common';
import { AgentFatalError, CloudRequestError, EXIT_REVOKED } from '../common/agent-errors.js';
import { errorOf, httpJson, type HttpAnswer } from '../common/http-json.js';
import { AgentConfig } from '../config/agent-config.js';
import { IdentityService } from '../identity/identity.service.js';

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The node's side of the cloud API: every call carries the node's access token; a 401 renews it
 * once and repeats the call; 403 NODE_REVOKED stops the agent. Answers other than 2xx come back as
 * CloudRequestError, a cloud that does not answer as HttpUnreachableError.
 */
@Injectable()
export class CloudClient {
  constructor(
    private readonly config: AgentConfig,
    private readonly identity: IdentityService,
  ) {}

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<HttpAnswer<T>> {
    const send = async () =>
      httpJson<T>({
        method,
        url: `${this.config.cloudUrl}${path}`,
        token: await this.identity.accessToken(),
        body,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: options.signal,
      });
    let res = await send();
    if (res.status === 401) {
      await this.identity.renew();
      res = await send();
    }
    if (res.status >= 200 && res.status < 300) return res;
    const { code, message } = errorOf(res.body);
    if (code === 'NODE_REVOKED') {
      throw new AgentFatalError(
        `node ${this.identity.current.nodeId} was revoked by HQ (${message}); stopping. Register a new node with a new BOOTSTRAP_TOKEN`,
        EXIT_REVOKED,
      );
    }
    throw new CloudRequestError(res.status, code, `${method} ${path} answered ${res.status}${code ? ` ${code}` : ''}: ${message}`);
  }
}
