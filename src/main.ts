import 'reflect-metadata';
import { createApp, prepareServices } from './app.factory.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { ServiceUnavailableError } from './database/preflight.js';
import { DemoSeedService } from './demo/demo-seed.service.js';
import { startDemoSite } from './demo/demo-site.js';

function fail(message: string, code: number): never {
  process.stderr.write(`switchboard: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  try {
    await prepareServices(config);
  } catch (error) {
    if (error instanceof ServiceUnavailableError) fail(error.message, 1);
    throw error;
  }

  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const base = config.http.publicUrl ?? `http://localhost:${config.http.port}`;
  const lines = [
    `Switchboard is running at ${base}`,
    `  health:   ${base}/health`,
    `  agent console:        ${base}/console/`,
    `  supervisor dashboard: ${base}/dashboard/`,
    `  API docs: ${base}/api/docs`,
    `  sockets:  ${base}/visitor (customers), ${base}/agent (agents), ${base}/supervisor (supervisors)`,
  ];
  if (config.demo) {
    const demo = await app.get(DemoSeedService).seed();
    lines.push(
      '',
      `Demo organisation ${demo.created ? 'created' : 'already present'} — site key "${demo.siteKey}"`,
      ...demo.logins.map((l) => `  ${l.role.padEnd(10)} ${l.email.padEnd(36)} password: ${l.password}`),
    );
    // The sample insurer page, on another port so the widget runs cross-origin as on a real site.
    try {
      const site = await startDemoSite({ apiOrigin: base, port: config.demoSitePort, host: config.http.host, siteKey: demo.siteKey });
      lines.push('', `Demo insurer page (chat widget embedded): ${site.url}`);
    } catch (error) {
      // The API is up and usable without it (e.g. the port is taken): say so rather than stop.
      lines.push('', `Demo insurer page not started on port ${config.demoSitePort}: ${error instanceof Error ? error.message : String(error)} (set DEMO_SITE_PORT)`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  fail(`failed to start: ${error instanceof Error ? error.message : String(error)}`, 1);
});
