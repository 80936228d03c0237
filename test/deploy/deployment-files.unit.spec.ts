import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { nodeArgsFor } from '@app/testing';
import { cloudEnvSchema } from '../../apps/cloud/src/config/cloud-config.js';
import { edgeEnvSchema } from '../../apps/edge/src/config/edge-config.js';
import { agentEnvSchema } from '../../apps/store-agent/src/config/agent-config.js';
import { EXIT_CONFIG, EXIT_REVOKED } from '../../apps/store-agent/src/common/agent-errors.js';
import { MACHINES, renderEnvExamples } from '../../scripts/env-examples.mjs';
import { compose, copyArgs, envFileVariables, parseDockerfile, read, root, type ComposeService } from './deployment-files.js';

const cloudCompose = compose('docker-compose.cloud.yml');
const edgeCompose = compose('docker-compose.edge.yml');
const COMPOSE_FILES = { 'docker-compose.cloud.yml': cloudCompose, 'docker-compose.edge.yml': edgeCompose };
const DOCKERFILES = ['docker/cloud.Dockerfile', 'docker/edge.Dockerfile'];
const ENTRYPOINT = '/usr/local/bin/app-entrypoint';

/** The variable of the images' entrypoint (docker/app-entrypoint.sh), not of an app. */
const ENTRYPOINT_VARIABLES = ['FINAL_EXIT_CODES'];
/** Read by an app but only ever set by its tests: deliberately undocumented. */
const TEST_ONLY_VARIABLES = ['EDGE_LEASE_TTL_OVERRIDE_MS'];

/** Which of our apps each of our services runs, and the variables that app reads. */
const APPS: Record<string, { entry: string; schema: z.ZodObject; finalExitCodes: number[] }> = {
  cloud: { entry: 'dist/apps/cloud/src/main.js', schema: cloudEnvSchema, finalExitCodes: [EXIT_CONFIG] },
  // migrate.main.ts has its own schema (it runs before the cloud can): DATABASE_URL and MIGRATIONS_DIR.
  migrate: {
    entry: 'dist/apps/cloud/src/database/migrate.main.js',
    schema: z.object({ DATABASE_URL: cloudEnvSchema.shape.DATABASE_URL, MIGRATIONS_DIR: z.string().default('prisma/migrations') }),
    finalExitCodes: [],
  },
  edge: { entry: 'dist/apps/edge/src/main.js', schema: edgeEnvSchema, finalExitCodes: [EXIT_CONFIG] },
  agent: { entry: 'dist/apps/store-agent/src/main.js', schema: agentEnvSchema, finalExitCodes: [EXIT_CONFIG, EXIT_REVOKED] },
};

const allServices = () => Object.entries(COMPOSE_FILES).flatMap(([file, c]) => Object.entries(c.services).map(([name, s]) => ({ file, name, service: s })));
const ours = allServices().filter(({ service }) => service.image?.startsWith('pos-fleet/'));
const machineOf = (composeFile: string) => MACHINES.find((m) => m.compose === composeFile)!;
const exampleOf = (composeFile: string) => envFileVariables(read(machineOf(composeFile).example));

function dockerfileOf(service: ComposeService): string {
  return allServices().find((s) => s.service.image === service.image && s.service.build)!.service.build!.dockerfile;
}

function finalStage(dockerfile: string) {
  const instructions = parseDockerfile(read(dockerfile));
  return instructions.filter((i) => i.stage === instructions.at(-1)!.stage);
}

function execForm(dockerfile: string, keyword: 'CMD' | 'ENTRYPOINT'): string[] {
  const found = finalStage(dockerfile).filter((i) => i.keyword === keyword);
  return JSON.parse(found.at(-1)!.args) as string[];
}

function sourceOf(distEntry: string): string {
  return distEntry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

/** The exit codes docker/app-entrypoint.sh parks on when FINAL_EXIT_CODES is unset. */
const defaultFinalExitCodes = () => /^final_codes=\$\{FINAL_EXIT_CODES-([0-9 ]*)\}$/m.exec(read('docker/app-entrypoint.sh'))![1]!.split(' ').map(Number);

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
    expect(ours.map(({ name }) => name).sort()).toEqual(['agent', 'cloud', 'edge', 'migrate']);
  });

  it('should cover every app config of apps/*/src/config', () => {
    const configs = readdirSync(path.join(root, 'apps'))
      .flatMap((app) =>
        existsSync(path.join(root, 'apps', app, 'src/config'))
          ? readdirSync(path.join(root, 'apps', app, 'src/config')).map((f) => `apps/${app}/src/config/${f}`)
          : [],
      )
      .filter((f) => /-config\.ts$/.test(f));
    expect(configs.sort()).toEqual([
      'apps/cloud/src/config/cloud-config.ts',
      'apps/edge/src/config/edge-config.ts',
      'apps/store-agent/src/config/agent-config.ts',
    ]);
  });

  describe.each(ours)('service $name ($file)', ({ file, name, service }) => {
    const app = APPS[name]!;
    const environment = service.environment ?? {};
    const example = exampleOf(file);

    it('should start an entry point that exists in the code, with the Node options the tests use', () => {
      const command = service.command ?? execForm(dockerfileOf(service), 'CMD');
      expect(command).toEqual(['node', ...nodeArgsFor(app.entry)]);
      expect(existsSync(path.join(root, sourceOf(app.entry)))).toBe(true);
    });

    it('should take its settings from .env, so that every documented variable can be set', () => {
      expect(service.env_file).toBe('.env');
    });

    it("should get every variable the app reads from its machine's example or, for what compose decides, from environment", () => {
      const reads = Object.keys(app.schema.shape).filter((v) => !TEST_ONLY_VARIABLES.includes(v));
      expect(reads.filter((v) => !example.has(v) && !(v in environment))).toEqual([]);
      // Every one it requires too (they have no default: the app refuses to start without them).
      expect(requiredVariables(app.schema).filter((v) => !example.has(v) && !(v in environment))).toEqual([]);
    });

    it('should only force variables the app reads, and none the example also offers (environment wins over .env)', () => {
      const known = [...Object.keys(app.schema.shape), ...ENTRYPOINT_VARIABLES];
      expect(Object.keys(environment).filter((v) => !known.includes(v))).toEqual([]);
      expect(Object.keys(environment).filter((v) => example.has(v))).toEqual([]);
    });

    it('should run its image by the pinned POS_VERSION, which compose requires', () => {
      expect(service.image).toMatch(/^pos-fleet\/(cloud|edge):\$\{POS_VERSION:\?[^}]+\}$/);
    });

    it('should restart after crashes and reboots (unless-stopped), except the one-shot migration', () => {
      expect(service.restart).toBe(name === 'migrate' ? 'no' : 'unless-stopped');
    });

    it('should go through the entrypoint that parks, not restart-loops, on the exit codes no restart cures', () => {
      expect(service.entrypoint).toBeUndefined();
      expect(execForm(dockerfileOf(service), 'ENTRYPOINT')).toEqual([ENTRYPOINT]);
      const codes = environment.FINAL_EXIT_CODES === undefined ? defaultFinalExitCodes() : environment.FINAL_EXIT_CODES.split(' ').filter(Boolean).map(Number);
      expect(codes.sort()).toEqual([...app.finalExitCodes].sort());
    });

    it('should mount only declared volumes', () => {
      for (const mount of service.volumes ?? []) {
        const source = mount.split(':')[0]!;
        if (!source.startsWith('/') && !source.startsWith('.'))
          expect(Object.keys(COMPOSE_FILES[file as keyof typeof COMPOSE_FILES].volumes ?? {})).toContain(source);
      }
    });
  });

  describe.each(allServices())('every service: $name ($file)', ({ service }) => {
    it('should cap its Docker logs (max-size and max-file), so that they cannot fill an SD card', () => {
      expect(['local', 'json-file']).toContain(service.logging?.driver);
      const size = /^(\d+)([km])$/.exec(service.logging?.options?.['max-size'] ?? '');
      expect(size).not.toBeNull();
      const megabytes = Number(size![1]) / (size![2] === 'k' ? 1024 : 1);
      const files = Number(service.logging?.options?.['max-file']);
      expect(files).toBeGreaterThanOrEqual(1);
      expect(megabytes * files).toBeLessThanOrEqual(100);
    });

    it('should run an image with an explicit tag that is not latest', () => {
      const image = service.image!.replace(/\$\{POS_VERSION:\?[^}]+\}/, '0.1.0');
      expect(image).toMatch(/^[^:@]+(:[^:@]+|@sha256:[0-9a-f]{64}|:[^:@]+@sha256:[0-9a-f]{64})$/);
      expect(image).not.toMatch(/:latest\b|:-latest/);
    });

    it('should restart unless stopped, or never for the one-shot migration', () => {
      expect(['unless-stopped', 'no']).toContain(service.restart);
    });
  });

  it('should leave POS_VERSION empty in the examples: there is no default release', () => {
    for (const file of ['.env.example', ...MACHINES.map((m) => m.example)]) expect(envFileVariables(read(file)).get('POS_VERSION')).toBe('');
    expect(read('docker-compose.cloud.yml') + read('docker-compose.edge.yml')).not.toMatch(/latest/);
  });

  it('should health-check the cloud and the edge on /healthz at their ports, the agent by its health file', () => {
    const cloudPort = cloudEnvSchema.shape.PORT.parse(undefined);
    expect(cloudCompose.services.cloud!.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${cloudPort}/healthz`);
    expect(cloudCompose.services.cloud!.ports).toEqual([`${cloudPort}:3000`]);
    expect(cloudCompose.services.cloud!.environment!.PORT).toBe('3000');
    const edgeCheck = edgeCompose.services.edge!.healthcheck!.test.join(' ');
    expect(edgeCheck).toContain('/healthz');
    expect(edgeCheck).toContain(`process.env.PORT||${edgeEnvSchema.shape.PORT.parse(undefined)}`);
    // The agent has no port: its check is the age of the health file its heartbeat rewrites.
    const agentCheck = edgeCompose.services.agent!.healthcheck!.test.join(' ');
    expect(agentCheck).toContain(`${edgeCompose.services.agent!.environment!.AGENT_DATA_DIR}/health.json`);
    expect(agentCheck).toContain('HEARTBEAT_INTERVAL_SECONDS');
    for (const name of ['mysql', 'redis']) expect(cloudCompose.services[name]!.healthcheck).toBeDefined();
  });

  it('should put the edge and the agent on the host network (mDNS) with one data volume, the agent reaching the hub on its port', () => {
    for (const name of ['edge', 'agent']) {
      expect(edgeCompose.services[name]!.network_mode).toBe('host');
      expect(edgeCompose.services[name]!.volumes).toEqual(['pos-data:/data']);
    }
    expect(edgeCompose.services.edge!.environment).toEqual({ EDGE_DATA_DIR: '/data/edge' });
    expect(edgeCompose.services.agent!.environment).toMatchObject({
      AGENT_DATA_DIR: '/data/agent',
      EDGE_URL: `http://127.0.0.1:\${PORT:-${edgeEnvSchema.shape.PORT.parse(undefined)}}`,
    });
    expect(edgeCompose.services.agent!.depends_on).toEqual({ edge: { condition: 'service_healthy' } });
  });

  it('should run the cloud in production on the MySQL and Redis of the file, migrating first', () => {
    const database = 'mysql://root:${MYSQL_ROOT_PASSWORD}@mysql:3306/pos_cloud';
    expect(cloudCompose.services.cloud!.environment).toMatchObject({
      NODE_ENV: 'production',
      DATABASE_URL: database,
      REDIS_URL: 'redis://redis:6379',
      BACKOFFICE_DIR: '/app/apps/backoffice/dist',
    });
    expect(cloudCompose.services.migrate!.environment).toMatchObject({ DATABASE_URL: database, MIGRATIONS_DIR: '/app/prisma/migrations' });
    expect(cloudCompose.services.cloud!.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
    });
    expect(cloudCompose.services.migrate!.depends_on).toEqual({ mysql: { condition: 'service_healthy' } });
    expect(cloudCompose.services.mysql!.image).toMatch(/^mysql:8/);
    expect(cloudCompose.services.redis!.image).toMatch(/^redis:7/);
  });

  it("should give the cloud longer to stop than its own shutdown bound, so that it exits before Docker's SIGKILL", () => {
    const grace = /^(\d+)s$/.exec(cloudCompose.services.cloud!.stop_grace_period ?? '');
    const bound = cloudEnvSchema.shape.SHUTDOWN_TIMEOUT_SECONDS.parse(undefined);
    expect(Number(grace?.[1])).toBeGreaterThan(bound);
  });

  it('should document every variable a compose file interpolates, in .env.example and in its machine example', () => {
    const documented = envFileVariables(read('.env.example'));
    for (const [file] of Object.entries(COMPOSE_FILES)) {
      const interpolated = [...new Set([...read(file).matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!))];
      expect(interpolated.filter((v) => !documented.has(v))).toEqual([]);
      expect(interpolated.filter((v) => !exampleOf(file).has(v))).toEqual([]);
    }
  });
});

describe('the example .env of each machine (deploy/*.env.example)', () => {
  it('should be what scripts/env-examples.mjs makes of .env.example (run it after editing .env.example)', () => {
    for (const [file, content] of Object.entries(renderEnvExamples(root))) expect({ file, content: read(file) }).toEqual({ file, content });
  });

  it.each(MACHINES.map((m) => [m.example, m] as const))(
    '%s should only offer variables its apps read or its compose file interpolates',
    (_example, machine) => {
      const services = Object.entries(COMPOSE_FILES[machine.compose as keyof typeof COMPOSE_FILES].services).filter(([name]) => APPS[name]);
      const readByApps = new Set(services.flatMap(([name]) => Object.keys(APPS[name]!.schema.shape)));
      const interpolated = new Set([...read(machine.compose).matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
      expect([...envFileVariables(read(machine.example)).keys()].filter((v) => !readByApps.has(v) && !interpolated.has(v))).toEqual([]);
    },
  );

  it('should leave the values that differ per deployment empty, so that a forgotten one fails at start', () => {
    const edge = envFileVariables(read('deploy/edge.env.example'));
    for (const v of ['TENANT_ID', 'STORE_ID', 'CLUSTER_PUBLIC_KEY_BASE64', 'CLOUD_URL', 'BOOTSTRAP_TOKEN']) expect(edge.get(v)).toBe('');
    const cloud = envFileVariables(read('deploy/cloud.env.example'));
    for (const v of ['AUTH_JWT_SECRET', 'COMMAND_SIGNING_KEY', 'CLUSTER_SIGNING_KEY', 'MYSQL_ROOT_PASSWORD']) expect(cloud.get(v)).toBe('');
  });
});

describe('Dockerfiles', () => {
  describe.each(DOCKERFILES)('%s', (file) => {
    const instructions = parseDockerfile(read(file));
    const last = finalStage(file);

    it('should build in one stage and run from another as a non-root user', () => {
      expect(new Set(instructions.map((i) => i.stage)).size).toBeGreaterThanOrEqual(2);
      const users = last.filter((i) => i.keyword === 'USER').map((i) => i.args);
      expect(users.at(-1)).toMatch(/^(node|[a-z][a-z0-9-]*)$/);
      expect(users).not.toContain('root');
    });

    it('should health-check /healthz', () => {
      expect(last.find((i) => i.keyword === 'HEALTHCHECK')?.args).toMatch(/\/healthz/);
    });

    it('should install its entrypoint, executable, where ENTRYPOINT runs it', () => {
      const copy = last
        .filter((i) => i.keyword === 'COPY')
        .map((i) => copyArgs(i.args))
        .find((c) => c.dest === ENTRYPOINT);
      expect(copy).toMatchObject({ sources: ['docker/app-entrypoint.sh'], flags: { chmod: '0755' } });
      expect(execForm(file, 'ENTRYPOINT')).toEqual([ENTRYPOINT]);
    });

    it('should only run npm scripts that exist', () => {
      const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
      for (const [, script] of read(file).matchAll(/npm run ([a-z:-]+)/g)) expect(scripts).toContain(script);
    });

    it('should copy only paths the build produces or the repository has', () => {
      for (const i of instructions.filter((x) => x.keyword === 'COPY')) {
        const { flags, sources } = copyArgs(i.args);
        for (const source of sources) {
          if (!flags.from) expect(existsSync(path.join(root, source))).toBe(true);
          else if (!['dist', 'node_modules', 'apps/backoffice/dist'].includes(source.replace(/^\/src\//, '')))
            expect(existsSync(path.join(root, source.replace(/^\/src\//, '')))).toBe(true);
        }
      }
    });
  });
});
