import express from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, from wherever this file runs (src/ under tsx/Jest, dist/src/ built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the web module');
    dir = parent;
  }
  return dir;
}

/** Where `node widgets/build.mjs` writes the browser apps: one folder per app. */
export const WEB_ROOT = join(packageRoot(), 'dist', 'web');

/** The embeddable chat widget may be loaded by any site's page; the API still checks the site's origins. */
const EMBEDDABLE = new Set(['chat']);

/**
 * Serves each built browser app under `/<app>/` (single-page apps fall back to their index.html), and
 * the chat widget's loader at `/widget.js`. Apps not built are simply absent.
 */
export function mountWebApps(app: NestExpressApplication, webRoot = WEB_ROOT): string[] {
  if (!existsSync(webRoot)) return [];
  const apps = readdirSync(webRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  for (const name of apps) {
    const dir = join(webRoot, name);
    const embeddable = EMBEDDABLE.has(name);
    const serve = express.static(dir, {
      index: 'index.html',
      fallthrough: true,
      setHeaders: (res, path) => {
        if (embeddable) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
        // Hashed asset names never change; the entry points must be re-fetched.
        res.setHeader('Cache-Control', /-[A-Za-z0-9_-]{8,}\.(js|css)$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.use(`/${name}`, serve);
    if (existsSync(join(dir, 'index.html'))) {
      app.use(`/${name}`, (req: express.Request, res: express.Response, next: express.NextFunction) => {
        if (req.method !== 'GET' || !req.accepts('html')) return next();
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(join(dir, 'index.html'));
      });
    }
  }
  if (apps.includes('chat') && existsSync(join(webRoot, 'chat', 'widget.js'))) {
    app.use('/widget.js', (req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.sendFile(join(webRoot, 'chat', 'widget.js'));
    });
  }
  return apps;
}
