import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import type { AppConfig } from './config/config.js';
import { rawWebhookBody } from './channels/webhooks/raw-body.middleware.js';
import { checkRedis, ensureDatabase, migrate } from './database/preflight.js';
import { RedisIoAdapter } from './realtime/redis-io.adapter.js';
import { mountWebApps } from './web/web-apps.js';

/** Dependencies reachable, database present and migrated: throws ServiceUnavailableError otherwise. */
export async function prepareServices(config: AppConfig): Promise<string[]> {
  await ensureDatabase(config.database.url);
  await checkRedis(config.redis.url);
  return migrate(config.database.url);
}

export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true });
  if (config.http.trustProxy) app.set('trust proxy', true);
  app.useLogger(app.get(Logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          // Deployments behind a firewall often serve plain HTTP; upgrading would break them.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  mountWebApps(app);
  // Provider webhooks keep their raw bytes (signatures cover them); Nest's JSON parser skips them.
  app.use('/webhooks', rawWebhookBody(1024 * 1024));
  app.useGlobalFilters(new HttpExceptionFilter(app.getHttpAdapter()));
  // The widget's HTTP routes answer CORS themselves, from each site's own allowed origins.
  const staffCors: { origin: string[] | false } = { origin: config.http.corsOrigins.length > 0 ? config.http.corsOrigins : false };
  app.enableCors((req: { url?: string }, callback: (error: Error | null, options: { origin: string[] | false }) => void) =>
    callback(null, req.url?.startsWith('/widget/') ? { origin: false } : staffCors),
  );
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, validationError: { target: false } }),
  );
  app.useWebSocketAdapter(
    new RedisIoAdapter(app, config.redis.url, config.limits.socketPayloadBytes, config.redis.queuePrefix),
  );
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard')
      .setDescription('Admin, auth and transcript API. Socket protocols: docs/protocol.md.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs.json' });
  return app;
}
