import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ProxyHooks {
  /** Runs before the request is forwarded: may wait (hold it) or change it. */
  request?: (req: ProxiedRequest) => Promise<ProxiedRequest | void> | ProxiedRequest | void;
  /** Runs on the answer before it goes back: may change it. */
  response?: (req: ProxiedRequest, res: ProxiedResponse) => Promise<ProxiedResponse | void> | ProxiedResponse | void;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade']);

function plainHeaders(headers: IncomingMessage['headers'] | Headers): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [k, v] of entries) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * A small HTTP proxy in front of one target, for fault tests: it buffers each request and answer
 * whole and lets the test hold, change or forge them. A request the client gave up on is still
 * forwarded (what a crash mid-request looks like to the server).
 */
export class HttpProxy {
  hooks: ProxyHooks = {};
  /** Refuse every connection attempt with 502 while true (the target looks down). */
  down = false;

  private constructor(
    private readonly server: Server,
    readonly target: string,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<HttpProxy> {
    let proxy: HttpProxy | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          let request: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: plainHeaders(req.headers), body: Buffer.concat(chunks) };
          try {
            if (proxy!.down) throw new Error('target down');
            request = (await proxy!.hooks.request?.(request)) ?? request;
            const answer = await fetch(`${proxy!.target}${request.path}`, {
              method: request.method,
              headers: request.headers,
              body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
            });
            let response: ProxiedResponse = { status: answer.status, headers: plainHeaders(answer.headers), body: Buffer.from(await answer.arrayBuffer()) };
            response = (await proxy!.hooks.response?.(request, response)) ?? response;
            if (!res.writable) return;
            res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
            res.end(response.body);
          } catch (error) {
            if (!res.writable) return;
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ statusCode: 502, code: 'PROXY', message: (error as Error).message }));
          }
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new HttpProxy(server, target, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
