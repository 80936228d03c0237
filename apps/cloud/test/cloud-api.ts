import request from 'supertest';
import type { App } from 'supertest/types.js';
import type { CommandEnvelope, RegisterNodeResponse } from '@app/contracts';

type Method = 'get' | 'post' | 'put' | 'delete';

/**
 * The cloud's HTTP API as its clients call it (supertest on the real server): an operator with
 * their token, a node with its access token, or anyone.
 */
export class CloudApi {
  constructor(
    private readonly server: App,
    private readonly token?: string,
  ) {}

  as(token: string): CloudApi {
    return new CloudApi(this.server, token);
  }

  call(method: Method, path: string, body?: unknown) {
    let req = request(this.server)[method](path);
    if (this.token) req = req.set('authorization', `Bearer ${this.token}`);
    return body === undefined ? req : req.send(body as object);
  }

  get(path: string) {
    return this.call('get', path);
  }

  post(path: string, body: unknown = {}) {
    return this.call('post', path, body);
  }
}

export interface RegisteredNode extends RegisterNodeResponse {
  api: CloudApi;
}

/** Registers a node for a store through the real flow: an admin's bootstrap token, then /nodes/register. */
export async function registerNode(anyone: CloudApi, admin: CloudApi, storeId: string, hostname = 'edge-box'): Promise<RegisteredNode> {
  const bootstrap = await admin.post(`/api/v1/stores/${storeId}/nodes/bootstrap`, {}).expect(201);
  const res = await anyone.post('/api/v1/nodes/register', { bootstrapToken: bootstrap.body.token, hostname, softwareVersion: '1.0.0' }).expect(201);
  const body = res.body as RegisterNodeResponse;
  return { ...body, api: anyone.as(body.accessToken) };
}

/** Long-polls once; resolves with the delivered envelopes. */
export async function pollCommands(node: CloudApi, waitSeconds = 0): Promise<CommandEnvelope[]> {
  const res = await node.get(`/api/v1/nodes/commands?wait=${waitSeconds}`).expect(200);
  return (res.body as { commands: CommandEnvelope[] }).commands;
}

export const ackOk = (command: Pick<CommandEnvelope, 'commandId' | 'revision'>) => ({
  commandId: command.commandId,
  status: 'ACKED',
  appliedRevision: command.revision,
  appliedAt: new Date().toISOString(),
});
export const ackFailed = (commandId: string, errorCode: string, errorDetail = 'test failure') => ({
  commandId,
  status: 'FAILED',
  errorCode,
  errorDetail,
  appliedAt: new Date().toISOString(),
});
