import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { RedisAvailability } from '../redis/redis.module.js';
import { LoginAttemptsRepository } from './login-attempts.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { TRUSTED_BROWSER_COOKIE } from './trusted-browser-cookie.js';

interface LoginAnswer {
  status: number;
  body: { accessToken?: string; code?: string; statusCode?: number; message?: string; details?: { retryAfterSeconds?: number } };
  retryAfter: string | undefined;
  /** The trusted-browser cookie set by this answer, as a Cookie header value. */
  cookie: string | undefined;
}

/**
 * A login over real HTTP from a chosen loopback address (Linux routes all of 127.0.0.0/8 to lo),
 * so "another source" is another TCP peer address, not a header the server would have to trust.
 */
function login(port: number, from: string, email: string, password: string, extra: { cookie?: string; forwardedFor?: string } = {}): Promise<LoginAnswer> {
  const body = JSON.stringify({ email, password });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  if (extra.cookie) headers.cookie = extra.cookie;
  if (extra.forwardedFor) headers['x-forwarded-for'] = extra.forwardedFor;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, localAddress: from, method: 'POST', path: '/api/v1/auth/login', headers, agent: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const setCookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${TRUSTED_BROWSER_COOKIE}=`));
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as LoginAnswer['body'],
            retryAfter: res.headers['retry-after'],
            cookie: setCookie?.split(';')[0],
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('login timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends the attempts in waves of `parallel` at once (a burst is how a guesser would try to outrun the counters). */
async function inWaves<T>(count: number, parallel: number, attempt: (i: number) => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  for (let start = 0; start < count; start += parallel) {
    answers.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - start) }, (_, k) => attempt(start + k)))));
  }
  return answers;
}

function tally(answers: readonly LoginAnswer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

const longEmail = (role: string) => `${role}.${randomUUID()}@north-region-franchise-operations.example.com`;

/** Waits until the client is admitted again (not 429), with attempts that do not count: malformed bodies are released. */
async function waitUntilAdmitted(port: number, from: string, email: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const probe = await login(port, from, email, '');
    if (probe.status !== 429) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`still throttled after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`${LoginThrottleService.name} (real HTTP, Redis and MariaDB)`, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let tenant: TenantRow;
  let port: number;

  beforeAll(async () => {
    // The documented failure limits (5 per email and source, 20 per email, 30 per source); only
    // the delays are shortened so the test waits for locks to end in under a second or two.
    cloud = await startCloudTestApp('login-throttle', { LOGIN_BACKOFF_BASE_MS: '400', LOGIN_BACKOFF_MAX_MS: '3200' });
    await cloud.app.listen(0, '127.0.0.1');
    port = (cloud.app.getHttpServer().address() as AddressInfo).port;
    make = new CloudFactories(cloud.app);
    tenant = await make.tenant();
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should let the owner log in 50 times in a row with the right password', async () => {
    const owner = await make.operator(tenant, { email: longEmail('owner') });
    const answers = [];
    for (let i = 0; i < 50; i += 1) answers.push(await login(port, '127.0.0.2', owner.email, owner.password));
    expect(tally(answers)).toEqual({ 200: 50 });
    expect(answers.every((a) => typeof a.body.accessToken === 'string')).toBe(true);
  });

  it('should reset the failure counters on a success', async () => {
    const owner = await make.operator(tenant, { email: longEmail('cashier-lead') });
    const fails = async (n: number) => {
      const statuses = [];
      for (let i = 0; i < n; i += 1) statuses.push((await login(port, '127.0.0.50', owner.email, `typo-${i}`)).status);
      return statuses;
    };
    expect(await fails(4)).toEqual([401, 401, 401, 401]);
    expect((await login(port, '127.0.0.50', owner.email, owner.password)).status).toBe(200);
    // Without the reset the 6th failure of the pair would lock it (5 are free).
    expect(await fails(5)).toEqual([401, 401, 401, 401, 401]);
    expect(await fails(2)).toEqual([401, 429]);
  });

  it('should make each lock longer than the last, and answer it with the coded 429 and Retry-After', async () => {
    const owner = await make.operator(tenant, { email: longEmail('night-shift') });
    for (let i = 0; i < 5; i += 1) expect((await login(port, '127.0.0.60', owner.email, `wrong-${i}`)).status).toBe(401);
    const locks: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      expect((await login(port, '127.0.0.60', owner.email, `wrong-again-${round}`)).status).toBe(401);
      const locked = await login(port, '127.0.0.60', owner.email, owner.password);
      expect(locked.status).toBe(429);
      expect(locked.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/^too many login attempts: try again in \d+ s$/),
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(locked.retryAfter).toBe(String(locked.body.details!.retryAfterSeconds));
      locks.push(await waitUntilAdmitted(port, '127.0.0.60', owner.email));
    }
    // 400, 800 and 1,600 ms, give or take the polling.
    expect(locks[0]).toBeGreaterThanOrEqual(250);
    expect(locks[1]).toBeGreaterThan(locks[0]! * 1.5);
    expect(locks[2]).toBeGreaterThan(locks[1]! * 1.5);
    expect(locks[2]).toBeLessThan(3_000);
  }, 30_000);

  it('should answer an unknown email exactly as a known one, code for code', async () => {
    const known = await make.operator(tenant, { email: longEmail('known') });
    const run = async (email: string, from: string) => {
      const answers = [];
      for (let i = 0; i < 7; i += 1) answers.push(await login(port, from, email, `not-the-password-${i}`));
      return answers.map((a) => [a.status, a.body.code]);
    };
    const forKnown = await run(known.email, '127.0.0.70');
    const forUnknown = await run(longEmail('nobody'), '127.0.0.71');
    expect(forKnown).toEqual(forUnknown);
    expect(forKnown.slice(0, 6)).toEqual(Array.from({ length: 6 }, () => [401, 'INVALID_CREDENTIALS']));
    expect(forKnown[6]).toEqual([429, 'RATE_LIMITED']);
  });

  it('should ignore X-Forwarded-For when TRUST_PROXY is not set: a guesser cannot pick fresh sources', async () => {
    const owner = await make.operator(tenant, { email: longEmail('proxy-less') });
    const statuses = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await login(port, '127.0.0.80', owner.email, `spoof-${i}`, { forwardedFor: `198.51.100.${i + 1}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
  });

  it('should count a login attempt with a malformed body as nothing', async () => {
    const owner = await make.operator(tenant, { email: longEmail('malformed') });
    for (let i = 0; i < 20; i += 1) expect((await login(port, '127.0.0.90', owner.email, '')).status).toBe(400);
    expect((await login(port, '127.0.0.90', owner.email, owner.password)).status).toBe(200);
  });

  it('should let logins through, unthrottled, while Redis does not answer', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    dead.on('error', () => undefined);
    try {
      const throttle = new LoginThrottleService(cloud.config, new LoginAttemptsRepository(dead, cloud.config), new RedisAvailability(dead));
      const client = { email: 'owner@example.com', source: '203.0.113.9', trustedBrowser: null };
      for (let i = 0; i < 30; i += 1) {
        const admission = await throttle.admit(client);
        expect(admission).toBeNull();
        await throttle.fail(admission);
      }
    } finally {
      dead.disconnect();
    }
  });
});

describe(`${LoginThrottleService.name} under attack (real HTTP, Redis and MariaDB)`, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let tenant: TenantRow;
  let port: number;

  beforeAll(async () => {
    // The documented failure limits and a lock long enough (30 s at first) not to end mid-attack:
    // every answer is then known in advance, none depends on the machine's speed.
    cloud = await startCloudTestApp('login-attack', { LOGIN_BACKOFF_BASE_MS: '30000' });
    await cloud.app.listen(0, '127.0.0.1');
    port = (cloud.app.getHttpServer().address() as AddressInfo).port;
    make = new CloudFactories(cloud.app);
    tenant = await make.tenant();
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should answer 1,000 guesses from one source with 401 and then 429, never a token, while the owner logs in from another source', async () => {
    const owner = await make.operator(tenant, { email: longEmail('manager') });
    const during: LoginAnswer[] = [];
    const answers = await inWaves(1_000, 25, async (i) => {
      // The right password is slipped in once the first wave has spent the source's free failures.
      const answer = await login(port, '127.0.0.11', owner.email, i >= 25 && i % 50 === 0 ? owner.password : `guess-${i}`);
      if (i % 200 === 100) during.push(await login(port, '127.0.0.12', owner.email, owner.password));
      return answer;
    });
    const counts = tally(answers);
    expect(counts[200]).toBeUndefined();
    expect(Object.keys(counts).sort()).toEqual(['401', '429']);
    // 5 free failures, then the one that locks the pair; in-flight places keep a burst from overtaking them.
    expect(counts[401]).toBe(6);
    const slipped = answers.filter((_, i) => i >= 25 && i % 50 === 0);
    expect(slipped.length).toBe(19);
    expect(slipped.every((a) => a.status === 429 && a.body.accessToken === undefined)).toBe(true);
    expect(during.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await login(port, '127.0.0.12', owner.email, owner.password)).status).toBe(200);
    // The source stays locked for this email even with the right password.
    expect((await login(port, '127.0.0.11', owner.email, owner.password)).status).toBe(429);
  }, 60_000);

  it('should answer 1,000 guesses from 100 sources without a token, and still let the owner in from a trusted browser during and after', async () => {
    const owner = await make.operator(tenant, { email: longEmail('regional-admin') });
    // The owner's usual browser signed in before the attack: it holds a trusted-browser cookie.
    const before = await login(port, '127.0.0.40', owner.email, owner.password);
    expect(before.status).toBe(200);
    expect(before.cookie).toMatch(new RegExp(`^${TRUSTED_BROWSER_COOKIE}=v1\\.`));
    let cookie = before.cookie!;
    const during: LoginAnswer[] = [];
    const answers: LoginAnswer[] = [];
    for (let wave = 0; wave < 40; wave += 1) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 25 }, (_, k) => wave * 25 + k).map((i) => login(port, `127.0.1.${1 + (i % 100)}`, owner.email, `guess-${i}`)),
        )),
      );
      if (wave % 10 === 9 && wave < 39) {
        const owned = await login(port, '127.0.0.41', owner.email, owner.password, { cookie });
        during.push(owned);
        cookie = owned.cookie ?? cookie;
      }
    }
    const counts = tally(answers);
    expect(counts[200]).toBeUndefined();
    // The email's lock on untrusted clients engages after 20 failures (and the one that locks),
    // whichever sources they came from; each of the owner's 3 logins in between starts it over.
    expect(counts[401]).toBeGreaterThanOrEqual(21);
    expect(counts[401]).toBeLessThanOrEqual(4 * 21);
    expect(counts[429]).toBe(1_000 - counts[401]!);
    // Right after: a fresh source with the right password but no cookie (an attacker who guessed it,
    // or the owner on a new machine) waits, and so does one with another email's cookie or a forged one.
    const stranger = await login(port, '127.0.2.1', owner.email, owner.password);
    expect(stranger.status).toBe(429);
    expect(stranger.body.accessToken).toBeUndefined();
    const other = await make.operator(tenant, { email: longEmail('other') });
    const otherCookie = (await login(port, '127.0.0.42', other.email, other.password)).cookie!;
    expect((await login(port, '127.0.2.2', owner.email, owner.password, { cookie: otherCookie })).status).toBe(429);
    expect((await login(port, '127.0.2.3', owner.email, owner.password, { cookie: `${TRUSTED_BROWSER_COOKIE}=v1.aaaa.9999999999.bbbb` })).status).toBe(429);
    // The owner's browser got in during the attack and gets in after it.
    expect(during.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(during.every((a) => a.cookie !== undefined)).toBe(true);
    expect((await login(port, '127.0.0.41', owner.email, owner.password, { cookie })).status).toBe(200);
  }, 60_000);
});

describe(`${LoginThrottleService.name} behind a trusted proxy`, () => {
  let cloud: CloudTestApp;
  let port: number;

  beforeAll(async () => {
    cloud = await startCloudTestApp('login-proxy', { TRUST_PROXY: 'loopback' });
    await cloud.app.listen(0, '127.0.0.1');
    port = (cloud.app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should count the client named by a trusted proxy as the source', async () => {
    const make = new CloudFactories(cloud.app);
    const owner = await make.operator(await make.tenant(), { email: longEmail('behind-proxy') });
    const statuses = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await login(port, '127.0.0.1', owner.email, `guess-${i}`, { forwardedFor: '203.0.113.50' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    // Another client behind the same proxy is another source.
    expect((await login(port, '127.0.0.1', owner.email, owner.password, { forwardedFor: '203.0.113.51' })).status).toBe(200);
  });
});
