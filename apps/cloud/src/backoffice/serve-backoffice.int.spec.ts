import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createTempDir, type TempDir } from '@app/testing';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';

describe('serveBackoffice', () => {
  let build: TempDir;
  let cloud: CloudTestApp;

  beforeAll(async () => {
    build = await createTempDir('backoffice-build');
    await mkdir(path.join(build.path, 'assets'));
    await writeFile(path.join(build.path, 'index.html'), '<!doctype html><title>POS Fleet · Backoffice</title>');
    await writeFile(path.join(build.path, 'assets', 'app-1234.js'), 'console.log(1)');
    cloud = await startCloudTestApp('backoffice', { BACKOFFICE_DIR: build.path });
  });

  afterAll(async () => {
    await cloud.close();
    await build.remove();
  });

  it('should serve the web UI at /', async () => {
    const res = await request(cloud.server).get('/').set('accept', 'text/html').expect(200);
    expect(res.text).toContain('POS Fleet · Backoffice');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('should serve built assets', async () => {
    const res = await request(cloud.server).get('/assets/app-1234.js').expect(200);
    expect(res.text).toBe('console.log(1)');
  });

  it('should answer a deep link with the single-page app', async () => {
    const res = await request(cloud.server).get('/stores/some-store/menu').set('accept', 'text/html').expect(200);
    expect(res.text).toContain('POS Fleet · Backoffice');
  });

  it('should never answer the API or the ops surface with the web UI', async () => {
    const res = await request(cloud.server).get('/api/v1/unknown').set('accept', 'text/html').expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    await request(cloud.server).get('/healthz').set('accept', 'text/html').expect(200).expect('content-type', /json/);
  });
});
