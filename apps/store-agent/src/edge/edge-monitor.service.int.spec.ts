import { createServer, type Server } from 'node:http';
import { freePort } from '@app/testing';
import { AGENT_TUNABLE_DEFAULTS, AgentConfig } from '../config/agent-config.js';
import { EdgeMonitorService } from './edge-monitor.service.js';

describe(EdgeMonitorService.name, () => {
  let server: Server | undefined;

  afterEach(() => {
    server?.close();
  });

  function monitor(port: number): EdgeMonitorService {
    return new EdgeMonitorService(
      new AgentConfig({
        ...AGENT_TUNABLE_DEFAULTS,
        cloudUrl: 'http://127.0.0.1:9',
        edgeUrl: `http://127.0.0.1:${port}`,
        bootstrapToken: null,
        dataDir: '/tmp',
        hostname: 'test',
        logLevel: 'silent',
      }),
    );
  }

  describe('check', () => {
    it('should see a hub whose /healthz answers 200 as reachable', async () => {
      const port = await freePort();
      server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end()).listen(port, '127.0.0.1');
      const service = monitor(port);
      await expect(service.check()).resolves.toBe(true);
      expect(service.isReachable()).toBe(true);
    });

    it('should see a hub that answers 503 or nothing as unreachable', async () => {
      const port = await freePort();
      server = createServer((_req, res) => res.writeHead(503).end()).listen(port, '127.0.0.1');
      await expect(monitor(port).check()).resolves.toBe(false);
      await expect(monitor(await freePort()).check()).resolves.toBe(false);
    });
  });
});
