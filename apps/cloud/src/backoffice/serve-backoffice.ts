import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Paths that belong to the API and the ops surface, never to the web UI. */
const NOT_UI = /^\/(api|healthz|metrics)(\/|$)/;

/**
 * Serves the built backoffice at `/` (SYSTEM.md section 6): hashed assets from the build, and
 * index.html for every other GET that asks for a page, so deep links load the single-page app.
 * Returns false when the directory holds no build.
 */
export function serveBackoffice(app: NestExpressApplication, dir: string): boolean {
  const root = path.resolve(dir);
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) return false;
  const assets = express.static(root, {
    index: false,
    maxAge: '1h',
    setHeaders: (res, file) => file.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache'),
  });
  // API and ops requests never look at the file system (a stat per long-poll adds up).
  app.use((req: Request, res: Response, next: NextFunction) => (NOT_UI.test(req.path) ? next() : assets(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_UI.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
