import 'reflect-metadata';
import { createApp, prepareServices } from './app.factory.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { ServiceUnavailableError } from './database/preflight.js';
import { DemoSeedService } from './demo/demo-seed.service.js';

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
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  fail(`failed to start: ${error instanceof Error ? error.message : String(error)}`, 1);
});
