import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { nodeArgsFor, repoRoot } from '@app/testing';
import { cloudEnvSchema } from '../../apps/cloud/src/config/cloud-config.js';
import { edgeEnvSchema } from '../../apps/edge/src/config/edge-config.js';
import { agentEnvSchema } from '../../apps/store-agent/src/config/agent-config.js';

const root = repoRoot();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  network_mode?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = (file: string) => parse(read(file)) as ComposeFile;
const cloudCompose = compose('docker-compose.cloud.yml');
const edgeCompose = compose('docker-compose.edge.yml');

/** Which of our apps each of our services runs, and the variables that app reads. */
const APPS: Record<string, { entry: string; schema: z.ZodObject }> = {
  cloud: { entry: 'dist/apps/cloud/src/main.js', schema: cloudEnvSchema },
  migrate: { entry: 'dist/apps/cloud/src/database/migrate.main.js', schema: cloudEnvSchema.pick({ DATABASE_URL: true }) },
  edge: { entry: 'dist/apps/edge/src/main.js', schema: edgeEnvSchema },
  agent: { entry: 'dist/apps/store-agent/src/main.js', schema: agentEnvSchema },
};

function dockerfileCmd(dockerfile: string): string[] {
  const cmd = read(dockerfile)
    .split('\n')
    .filter((l) => l.startsWith('CMD '))
    .at(-1);
  return JSON.parse(cmd!.slice(4)) as string[];
}

function sourceOf(distEntry: string): string {
  return distEntry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

const ours = [...Object.entries(cloudCompose.services), ...Object.entries(edgeCompose.services)].filter(([, s]) => s.image?.startsWith('pos-fleet/'));

describe('package.json start scripts', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it.each([
    ['start:cloud', APPS.cloud!.entry],
    ['start:edge', APPS.edge!.entry],
    ['start:agent', APPS.agent!.entry],
  ])('%s should run %s with the Node options the tests use', (script, entry) => {
    expect(scripts[script]).toBe(['node', ...nodeArgsFor(entry)].join(' '));
  });
});

describe('docker-compose files', () => {
  it('should run each of our apps exactly where expected', () => {
    expect(ours.map(([name]) => name).sort()).toEqual(['agent', 'cloud', 'edge', 'migrate']);
  });

  describe.each(ours)('service %s', (name, service) => {
    const app = APPS[name]!;
    const image = [...Object.values(cloudCompose.services), ...Object.values(edgeCompose.services)].find((s) => s.image === service.image && s.build)!;

    it('should start an entry point that exists in the code, with the Node options the tests use', () => {
      const command = service.command ?? dockerfileCmd(image.build!.dockerfile);
      expect(command).toEqual(['node', ...nodeArgsFor(app.entry)]);
      expect(existsSync(path.join(root, sourceOf(app.entry)))).toBe(true);
    });

    it('should only set variables the app reads, and every one it requires', () => {
      const known = Object.keys(app.schema.shape);
      const set = Object.keys(service.environment ?? {});
      expect(set.filter((v) => !known.includes(v))).toEqual([]);
      expect(requiredVariables(app.schema).filter((v) => !set.includes(v))).toEqual([]);
    });

    it('should restart on failure, except the one-shot migration', () => {
      expect(service.restart).toBe(name === 'migrate' ? 'no' : 'unless-stopped');
    });

    it('should mount only declared volumes', () => {
      const file = name === 'cloud' || name === 'migrate' ? cloudCompose : edgeCompose;
      for (const mount of service.volumes ?? []) {
        const source = mount.split(':')[0]!;
        if (!source.startsWith('/') && !source.startsWith('.')) expect(Object.keys(file.volumes ?? {})).toContain(source);
      }
    });
  });

  it('should health-check the cloud and the edge on /healthz at their ports', () => {
    expect(cloudCompose.services.cloud!.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${cloudEnvSchema.shape.PORT.parse(undefined)}/healthz`);
    expect(cloudCompose.services.cloud!.ports).toEqual([`${cloudEnvSchema.shape.PORT.parse(undefined)}:3000`]);
    expect(cloudCompose.services.cloud!.environment!.PORT).toBe('3000');
    const edgeCheck = edgeCompose.services.edge!.healthcheck!.test.join(' ');
    expect(edgeCheck).toContain('/healthz');
    expect(edgeCheck).toContain(String(edgeEnvSchema.shape.PORT.parse(undefined)));
    // The agent has no port: its check is the age of the health file its heartbeat rewrites.
    const agentCheck = edgeCompose.services.agent!.healthcheck!.test.join(' ');
    expect(agentCheck).toContain(`${edgeCompose.services.agent!.environment!.AGENT_DATA_DIR}/health.json`);
    expect(agentCheck).toContain('HEARTBEAT_INTERVAL_SECONDS');
  });

  it('should put the edge and the agent on the host network (mDNS) with one data volume', () => {
    for (const name of ['edge', 'agent']) {
      expect(edgeCompose.services[name]!.network_mode).toBe('host');
      expect(edgeCompose.services[name]!.volumes).toEqual(['pos-data:/data']);
    }
    expect(edgeCompose.services.edge!.environment!.EDGE_DATA_DIR).toBe('/data/edge');
    expect(edgeCompose.services.agent!.environment!.AGENT_DATA_DIR).toBe('/data/agent');
    expect(edgeCompose.services.agent!.depends_on).toEqual({ edge: { condition: 'service_healthy' } });
  });

  it('should migrate before the cloud starts and wait for MySQL and Redis', () => {
    expect(cloudCompose.services.cloud!.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' }, redis: { condition: 'service_healthy' } });
    expect(cloudCompose.services.migrate!.depends_on).toEqual({ mysql: { condition: 'service_healthy' } });
    expect(cloudCompose.services.mysql!.image).toMatch(/^mysql:8/);
    expect(cloudCompose.services.redis!.image).toMatch(/^redis:7/);
  });

  it('should document every variable the compose files interpolate in .env.example', () => {
    const documented = new Set([...read('.env.example').matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const interpolated = new Set([...(read('docker-compose.cloud.yml') + read('docker-compose.edge.yml')).matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...interpolated].filter((v) => !documented.has(v))).toEqual([]);
  });
});

describe('Dockerfiles', () => {
  describe.each(['docker/cloud.Dockerfile', 'docker/edge.Dockerfile'])('%s', (file) => {
    const text = read(file);
    const stages = text.split('\n').filter((l) => l.startsWith('FROM '));
    const finalStage = text.slice(text.lastIndexOf('\nFROM '));

    it('should build in one stage and run from a slim one as a non-root user', () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(finalStage).toMatch(/\nUSER (node|[a-z][a-z0-9-]*)\n/);
      expect(finalStage).not.toMatch(/\nUSER root/);
    });

    it('should health-check /healthz', () => {
      expect(finalStage).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    });

    it('should only run npm scripts that exist', () => {
      const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
      for (const [, script] of text.matchAll(/npm run ([a-z:-]+)/g)) expect(scripts).toContain(script);
    });

    it('should copy only paths the build produces or the repository has', () => {
      for (const [, from] of finalStage.matchAll(/COPY --from=build (?:--chown=\S+ )?\/src\/(\S+)/g)) {
        const produced = ['dist', 'node_modules', 'apps/backoffice/dist'];
        expect(produced.includes(from!) || existsSync(path.join(root, from!))).toBe(true);
      }
    });
  });
});
