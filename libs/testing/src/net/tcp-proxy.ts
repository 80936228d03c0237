import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type TcpProxyState = 'open' | 'refusing' | 'stalled';

/**
 * A TCP proxy on 127.0.0.1 in front of one server (MariaDB, Redis), for outage tests: the app is
 * pointed at the proxy, and the test makes the server look down for real.
 *
 * - `cut()`: every open connection is reset and the port refuses new ones (ECONNREFUSED), what a
 *   crashed or restarting server looks like;
 * - `stall()`: open connections stop carrying bytes and new ones are accepted but never answered,
 *   what a hung server or a network partition looks like;
 * - `restore()`: connections flow again (stalled ones are reset: their bytes are lost anyway).
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  private current: TcpProxyState = 'open';

  private constructor(
    readonly targetHost: string,
    readonly targetPort: number,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', resolve);
    });
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = new TcpProxy(targetHost, targetPort, port);
    await proxy.listen();
    return proxy;
  }

  /** A proxy in front of the server of `url` (mysql://, redis://), and the same URL through it. */
  static async inFrontOf(url: string): Promise<{ proxy: TcpProxy; url: string }> {
    const parsed = new URL(url);
    const defaultPort = parsed.protocol.startsWith('redis') ? 6379 : 3306;
    const proxy = await TcpProxy.start(parsed.hostname || '127.0.0.1', parsed.port ? Number(parsed.port) : defaultPort);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(proxy.port);
    return { proxy, url: parsed.toString() };
  }

  get state(): TcpProxyState {
    return this.current;
  }

  /** Connections currently open through the proxy. */
  get connections(): number {
    return this.pairs.size;
  }

  async cut(): Promise<void> {
    this.current = 'refusing';
    this.resetAll();
    await this.unlisten();
  }

  stall(): void {
    this.current = 'stalled';
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  async restore(): Promise<void> {
    const was = this.current;
    this.current = 'open';
    if (was === 'stalled') this.resetAll();
    await this.listen();
  }

  async close(): Promise<void> {
    this.current = 'refusing';
    this.resetAll();
    await this.unlisten();
  }

  private resetAll(): void {
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.upstream?.resetAndDestroy();
    }
    this.pairs.clear();
  }

  private async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    // Only this proxy's own port: a test that cut it expects to get it back, so retry while the
    // kernel still holds it.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    this.server = server;
  }

  private async unlisten(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const pair: { client: Socket; upstream: Socket | null } = { client, upstream: null };
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    if (this.current === 'stalled') {
      client.pause();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    upstream.on('error', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
