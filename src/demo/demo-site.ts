import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_SITE_KEY } from './demo-seed.service.js';

/** The folder holding package.json, from wherever this file runs (src/ under tsx/Jest, dist/src/ built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the demo site module');
    dir = parent;
  }
  return dir;
}

export const DEMO_SITE_DIR = join(packageRoot(), 'widgets', 'demo-site');

export interface DemoSiteOptions {
  /** Where the page loads the widget from, e.g. `http://localhost:3000`. */
  apiOrigin: string;
  port: number;
  host: string;
  siteKey?: string;
  /** The host name the printed address uses (the demo site's allowed origins name `localhost`). */
  publicHost?: string;
}

export interface DemoSite {
  /** The page's address, e.g. `http://localhost:3001/`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The page's own policy, as a careful insurer would set it: scripts only from the chat server, no inline
 * script or style, connections and images only to the chat server (plus blob: for photo previews).
 */
export function demoSiteCsp(apiOrigin: string): string {
  const api = new URL(apiOrigin);
  const socket = `${api.protocol === 'https:' ? 'wss:' : 'ws:'}//${api.host}`;
  return [
    "default-src 'none'",
    `script-src ${api.origin}`,
    `connect-src ${api.origin} ${socket}`,
    `img-src 'self' ${api.origin} blob: data:`,
    "style-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A second, tiny HTTP server for demo mode: the sample insurer page "Acme Insurance — report a claim"
 * with the chat widget embedded by one script tag. It runs on another port than the API, so the browser
 * takes the cross-origin path a real customer's site does.
 */
export async function startDemoSite(options: DemoSiteOptions): Promise<DemoSite> {
  const apiOrigin = new URL(options.apiOrigin).origin;
  const html = readFileSync(join(DEMO_SITE_DIR, 'index.html'), 'utf8')
    .replaceAll('{{API_ORIGIN}}', escapeAttribute(apiOrigin))
    .replaceAll('{{SITE_KEY}}', escapeAttribute(options.siteKey ?? DEMO_SITE_KEY));
  const css = readFileSync(join(DEMO_SITE_DIR, 'styles.css'), 'utf8');
  const csp = demoSiteCsp(apiOrigin);

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://demo.invalid').pathname;
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Method not allowed\n');
      return;
    }
    const send = (type: string, body: string) => {
      response.writeHead(200, {
        'Content-Type': type,
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': csp,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (path === '/' || path === '/demo' || path === '/demo/' || path === '/index.html')
      return send('text/html; charset=utf-8', html);
    if (path === '/styles.css') return send('text/css; charset=utf-8', css);
    if (path === '/favicon.ico') return void response.writeHead(204).end();
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.publicHost ?? 'localhost'}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
