import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startCloudTestApp } from '../../apps/cloud/test/cloud-test-app.js';
import { startEdgeTestApp } from '../../apps/edge/test/edge-test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** One raw HTTP/1.1 request over TCP, so that bytes fetch would refuse to send (CR, LF) reach the server. */
async function rawRequest(port: number, head: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no response in 5 s')));
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
    socket.write(head, 'latin1');
  });
}

interface Subject {
  app: NestExpressApplication;
  close(): Promise<void>;
}

describe.each([
  ['cloud', async (): Promise<Subject> => startCloudTestApp('request-id')],
  ['edge', async (): Promise<Subject> => startEdgeTestApp('request-id')],
])('X-Request-Id on the %s', (name, start) => {
  let subject: Subject;
  let base: string;
  let port: number;

  beforeAll(async () => {
    subject = await start();
    await subject.app.listen(0, '127.0.0.1');
    port = (subject.app.getHttpServer().address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await subject.close();
  });

  const idOf = async (path: string, requestId?: string) => {
    const res = await fetch(`${base}${path}`, { headers: requestId === undefined ? {} : { 'x-request-id': requestId } });
    await res.arrayBuffer();
    return { status: res.status, id: res.headers.get('x-request-id') };
  };

  it("should echo the caller's id, on a success and on an error alike", async () => {
    const id = '0193c6a4-7d1e-7f4a-9b2c-5e8d1a2b3c4d.till-7_retry-2';
    expect(await idOf('/healthz', id)).toEqual({ status: 200, id });
    expect(await idOf('/api/v1/no-such-route', id)).toEqual({ status: 404, id });
  });

  it('should echo it on a body the JSON parser refuses, before any route runs', async () => {
    const id = 'malformed-body-0193c6a4';
    const path = name === 'cloud' ? '/api/v1/auth/login' : '/api/v1/events';
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: '{"email":' });
    expect(await res.json()).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
    expect(res.headers.get('x-request-id')).toBe(id);
  });

  it('should answer a request without an id with a fresh one, a different one each time', async () => {
    const first = await idOf('/healthz');
    const second = await idOf('/api/v1/no-such-route');
    expect(first.id).toMatch(UUID);
    expect(second.id).toMatch(UUID);
    expect(first.id).not.toBe(second.id);
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['a whole kilobyte', 'x'.repeat(1024)],
    ['spaces and quotes', 'id with "quotes"'],
    ['an encoded CR/LF and header', 'abc%0D%0ASet-Cookie:%20session=stolen'],
    ['markup', '<script>alert(1)</script>'],
    ['two ids joined by a comma', 'first-id, second-id'],
    ['empty', ''],
  ])('should replace an id that is %s with a fresh one', async (_what, hostile) => {
    const { status, id } = await idOf('/healthz', hostile);
    expect(status).toBe(200);
    expect(id).toMatch(UUID);
  });

  it('should keep the 64-character maximum as it is', async () => {
    const id = 'A'.repeat(32) + '0123456789._-'.repeat(2) + 'zzzzzz';
    expect(id).toHaveLength(64);
    expect((await idOf('/healthz', id)).id).toBe(id);
  });

  it('should never echo an id carrying a raw CR or LF, nor let it add a header', async () => {
    for (const hostile of ['evil\rSet-Cookie: session=stolen', 'evil\nSet-Cookie: session=stolen', 'evil\r\n Set-Cookie: session=stolen']) {
      const response = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: ${hostile}\r\nConnection: close\r\n\r\n`);
      const [head = ''] = response.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 (200|400) /);
      expect(head.toLowerCase()).not.toContain('session=stolen');
      expect(head).not.toMatch(/x-request-id: evil/i);
      const echoed = /\r\nx-request-id: ([^\r\n]*)/i.exec(head)?.[1];
      if (echoed !== undefined) expect(echoed).toMatch(UUID);
    }
  });

  it('should replace an id with bytes beyond ASCII, which HTTP lets through, with a fresh one', async () => {
    const response = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: caf\xe9-\xff\r\nConnection: close\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(/\r\nx-request-id: ([^\r\n]*)/i.exec(response)?.[1]).toMatch(UUID);
  });
});
