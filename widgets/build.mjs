// Builds every browser app in widgets/ (each folder with a vite.config.mjs) into dist/web/<app>/.
// Usage: node widgets/build.mjs [app...]      (no argument: all apps; skipped when nothing changed)
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const widgetsDir = join(root, 'widgets');
const outRoot = join(root, 'dist', 'web');
const stampFile = join(outRoot, '.build-stamp.json');

/** Newest modification time under a directory, ignoring build output. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const apps = readdirSync(widgetsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(widgetsDir, e.name, 'vite.config.mjs')))
  .map((e) => e.name);
const wanted = process.argv.slice(2);
const force = process.env.WEB_BUILD_FORCE === '1' || wanted.length > 0;
const selected = wanted.length > 0 ? apps.filter((a) => wanted.includes(a)) : apps;

const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {};
// Apps import the socket contracts and widgets/shared/ (code common to several apps), so a change there
// rebuilds every app.
const sharedDir = join(widgetsDir, 'shared');
const shared = Math.max(
  newest(join(root, 'src', 'realtime', 'contracts')),
  existsSync(sharedDir) ? newest(sharedDir) : 0,
  statSync(join(widgetsDir, 'build.mjs')).mtimeMs,
);

for (const app of selected) {
  const sourceTime = Math.max(newest(join(widgetsDir, app)), shared);
  const outDir = join(outRoot, app);
  if (!force && stamp[app] === sourceTime && existsSync(outDir)) continue;
  const started = Date.now();
  await build({
    configFile: join(widgetsDir, app, 'vite.config.mjs'),
    root: join(widgetsDir, app),
    logLevel: process.env.WEB_BUILD_QUIET === '1' ? 'warn' : 'info',
    build: { outDir, emptyOutDir: true },
  });
  stamp[app] = sourceTime;
  mkdirSync(outRoot, { recursive: true });
  writeFileSync(stampFile, JSON.stringify(stamp, null, 2));
  if (process.env.WEB_BUILD_QUIET !== '1') console.log(`built ${app} → ${relative(root, outDir)} in ${Date.now() - started} ms`);
}
