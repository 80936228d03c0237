import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateEs256KeyPair } from '@app/crypto';
import {
  createRedisPrefix,
  createTempDir,
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  startAppProcess,
  testRedisUrl,
  waitFor,
  type AppProcess,
  type TempDir,
  type TestDatabase,
} from '@app/testing';

interface LogLine {
  level: number;
  time: number;
  app: string;
  msg?: string;
  context?: string;
  req?: { id?: string };
  res?: { headers?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * Every line the process printed (stdout and stderr), each parsed as JSON: a line that is not a
 * JSON object of the app's logger fails the test with the line itself, as `jq` would stop on it.
 */
function logLines(proc: AppProcess, app: string): LogLine[] {
  const lines = proc
    .output()
    .split('\n')
    .filter((line) => line.length > 0);
  expect(lines.length).toBeGreaterThan(0);
  return lines.map((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${proc.name} printed a line that is not JSON:\n${line}`);
    }
    expect(parsed).toMatchObject({ level: expect.any(Number), time: expect.any(Number), app });
    return parsed as LogLine;
  });
}

/** A request with a caller's id; resolves with the id the server echoed. */
async function call(url: string, requestId: string): Promise<string | null> {
  const res = await fetch(url, { headers: { 'x-request-id': requestId } });
  await res.arrayBuffer();
  return res.headers.get('x-request-id');
}

/** The request's own log line (pino-http's, one per request), once it is written. */
async function requestLine(proc: AppProcess, app: string, requestId: string): Promise<LogLine> {
  return waitFor(() => logLines(proc, app).find((line) => line.req?.id === requestId), { what: `the log line of request ${requestId}` });
}

describe('the logs of the built apps', () => {
  let db: TestDatabase;
  let tmp: TempDir;
  const redisPrefix = createRedisPrefix('json-logs');
  const running: AppProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('json_logs');
    tmp = await createTempDir('json-logs');
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await Promise.all([db.drop(), tmp.remove(), deleteRedisPrefix(redisPrefix)]);
  });

  it('should print only JSON lines from the cloud: its start, its listening line and its requests', async () => {
    const port = await freePort();
    const cloud = await startAppProcess({
      name: 'cloud',
      entry: 'dist/apps/cloud/src/main.js',
      env: {
        LOG_LEVEL: 'debug',
        PORT: String(port),
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: redisPrefix,
        DEV_KEYS_FILE: path.join(tmp.path, 'keys.json'),
      },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    running.push(cloud);
    const base = `http://127.0.0.1:${port}`;
    expect(await call(`${base}/api/v1/stores`, 'cloud-unauthorised-1')).toBe('cloud-unauthorised-1');
    expect(await call(`${base}/api/v1/no-such-route`, 'cloud-missing-2')).toBe('cloud-missing-2');
    await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'cloud-malformed-3' },
      body: '{"email":',
    }).then((r) => r.arrayBuffer());

    expect(await requestLine(cloud, 'cloud', 'cloud-unauthorised-1')).toMatchObject({
      level: 40,
      res: { statusCode: 401, headers: { 'x-request-id': 'cloud-unauthorised-1' } },
    });
    expect(await requestLine(cloud, 'cloud', 'cloud-missing-2')).toMatchObject({ res: { statusCode: 404 } });
    expect(await requestLine(cloud, 'cloud', 'cloud-malformed-3')).toMatchObject({ res: { statusCode: 400 } });
    // A line logged by the app while it serves a request carries the request's id too.
    await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'cloud-login-4' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'not the password' }),
    }).then((r) => r.arrayBuffer());
    await waitFor(() => logLines(cloud, 'cloud').find((line) => line.req?.id === 'cloud-login-4' && line.msg !== 'request completed'), {
      what: 'a log line of the app inside request cloud-login-4',
    });
    const lines = logLines(cloud, 'cloud');
    expect(lines).toContainEqual(expect.objectContaining({ context: 'NestFactory', msg: 'Starting Nest application...' }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, context: 'Main', msg: `cloud listening on http://127.0.0.1:${port}` }));
  });

  it('should print only JSON lines from the edge: its start, its listening line and its requests', async () => {
    const port = await freePort();
    const edge = await startAppProcess({
      name: 'edge',
      entry: 'dist/apps/edge/src/main.js',
      env: {
        LOG_LEVEL: 'debug',
        PORT: String(port),
        TENANT_ID: 't-demo',
        STORE_ID: 's-001',
        CLUSTER_PUBLIC_KEY_BASE64: generateEs256KeyPair().publicKeyBase64,
        EDGE_DATA_DIR: path.join(tmp.path, 'edge'),
        MDNS_ENABLED: 'false',
      },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    running.push(edge);
    const base = `http://127.0.0.1:${port}`;
    expect(await call(`${base}/api/v1/orders`, 'edge-unauthorised-1')).toBe('edge-unauthorised-1');
    expect(await call(`${base}/status`, 'edge-status-2')).toBe('edge-status-2');
    const hostile = await call(`${base}/status`, `edge-${'x'.repeat(100)}`);
    expect(hostile).toMatch(/^[0-9a-f-]{36}$/);
    await fetch(`${base}/metrics`).then((r) => r.arrayBuffer());

    expect(await requestLine(edge, 'edge', 'edge-unauthorised-1')).toMatchObject({
      level: 40,
      res: { statusCode: 401, headers: { 'x-request-id': 'edge-unauthorised-1' } },
    });
    expect(await requestLine(edge, 'edge', 'edge-status-2')).toMatchObject({ level: 30, res: { statusCode: 200 } });
    expect(await requestLine(edge, 'edge', hostile!)).toMatchObject({ res: { headers: { 'x-request-id': hostile } } });
    const lines = logLines(edge, 'edge');
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, context: 'Main', msg: `edge t-demo/s-001 listening on http://127.0.0.1:${port}` }));
  });

  it('should print only JSON lines from the agent while it retries the cloud', async () => {
    const agent = await startAppProcess({
      name: 'agent',
      entry: 'dist/apps/store-agent/src/main.js',
      env: {
        CLOUD_URL: 'http://127.0.0.1:9',
        EDGE_URL: `http://127.0.0.1:${await freePort()}`,
        AGENT_DATA_DIR: path.join(tmp.path, 'agent'),
        LOG_LEVEL: 'debug',
        BOOTSTRAP_TOKEN: 'x'.repeat(32),
      },
      readyOutput: /retry 2 in/,
    });
    running.push(agent);
    const lines = logLines(agent, 'store-agent');
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, context: 'AgentRunner', msg: expect.stringContaining('cannot reach the cloud') }));
  });

  it('should print only JSON lines from the agent when it stops on an error no retry cures', async () => {
    const agent = await startAppProcess({
      name: 'agent',
      entry: 'dist/apps/store-agent/src/main.js',
      env: {
        CLOUD_URL: 'http://127.0.0.1:9',
        EDGE_URL: `http://127.0.0.1:${await freePort()}`,
        AGENT_DATA_DIR: path.join(tmp.path, 'agent-bare'),
        LOG_LEVEL: 'info',
      },
    });
    expect(await agent.exited).toBe(78);
    expect(logLines(agent, 'store-agent')).toContainEqual(
      expect.objectContaining({ level: 60, msg: expect.stringMatching(/^store agent stopped: no credentials in .* and no BOOTSTRAP_TOKEN/) }),
    );
  });

  it.each([
    ['cloud', 'dist/apps/cloud/src/main.js', { PORT: 'x', DATABASE_URL: 'nope' }, ['PORT', 'DATABASE_URL']],
    ['edge', 'dist/apps/edge/src/main.js', { PORT: '0' }, ['PORT', 'TENANT_ID', 'STORE_ID', 'CLUSTER_PUBLIC_KEY_BASE64']],
    ['store-agent', 'dist/apps/store-agent/src/main.js', { EDGE_URL: 'x' }, ['CLOUD_URL', 'EDGE_URL']],
  ])('should report a bad environment of the %s as one JSON line naming every bad variable', async (app, entry, env, names) => {
    const proc = await startAppProcess({ name: app, entry, env });
    expect(await proc.exited).toBe(78);
    const lines = logLines(proc, app);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, msg: expect.stringMatching(new RegExp(`^Invalid configuration for ${app}:\n`)) });
    expect((lines[0]!.problems as string[]).map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual(names);
  });

  it('should report a start that fails inside Nest as JSON, not as Nest\u2019s coloured text', async () => {
    // The data directory cannot be created: a provider throws while Nest builds the app.
    const blocker = path.join(tmp.path, 'a-file');
    writeFileSync(blocker, '');
    const edge = await startAppProcess({
      name: 'edge',
      entry: 'dist/apps/edge/src/main.js',
      env: {
        LOG_LEVEL: 'info',
        PORT: String(await freePort()),
        TENANT_ID: 't-demo',
        STORE_ID: 's-001',
        CLUSTER_PUBLIC_KEY_BASE64: generateEs256KeyPair().publicKeyBase64,
        EDGE_DATA_DIR: path.join(blocker, 'edge'),
        MDNS_ENABLED: 'false',
      },
    });
    expect(await edge.exited).toBe(1);
    const lines = logLines(edge, 'edge');
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, context: 'ExceptionHandler', err: expect.objectContaining({ message: expect.stringContaining('ENOTDIR') }) }),
    );
  });

  it('should report a port already taken as JSON and exit 1', async () => {
    const port = await freePort();
    const env = {
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      TENANT_ID: 't-demo',
      STORE_ID: 's-001',
      CLUSTER_PUBLIC_KEY_BASE64: generateEs256KeyPair().publicKeyBase64,
      MDNS_ENABLED: 'false',
    };
    const first = await startAppProcess({
      name: 'edge',
      entry: 'dist/apps/edge/src/main.js',
      env: { ...env, EDGE_DATA_DIR: path.join(tmp.path, 'edge-first') },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    running.push(first);
    const second = await startAppProcess({
      name: 'edge',
      entry: 'dist/apps/edge/src/main.js',
      env: { ...env, EDGE_DATA_DIR: path.join(tmp.path, 'edge-second') },
    });
    expect(await second.exited).toBe(1);
    expect(logLines(second, 'edge')).toContainEqual(expect.objectContaining({ level: 60, err: expect.objectContaining({ code: 'EADDRINUSE' }) }));
  });
});
