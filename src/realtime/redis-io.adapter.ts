import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { MetricsService } from '../metrics/metrics.service.js';

/** socket.io with the Redis adapter, so a room emit on one node reaches sockets on all nodes. */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private closed = false;

  constructor(
    private readonly app: INestApplicationContext,
    redisUrl: string,
    private readonly maxPayloadBytes: number,
    private readonly channelPrefix: string,
  ) {
    super(app);
    this.pub = new Redis(redisUrl, { lazyConnect: false });
    this.sub = this.pub.duplicate();
    // The adapter publishes room emits without awaiting them: a failed publish (Redis unreachable, or an
    // emit landing after shutdown closed the client) would be an unhandled rejection that ends the process.
    const publish = this.pub.publish.bind(this.pub);
    this.pub.publish = ((channel: string, message: string | Buffer): Promise<number> =>
      publish(channel, message).catch((error: unknown) => {
        if (!this.closed) this.logger.warn(`socket.io publish failed: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      }));
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const settings: Partial<ServerOptions> = {
      ...options,
      maxHttpBufferSize: this.maxPayloadBytes,
      // Origins are checked per site in the visitor namespace's middleware (the site's allowlist).
      cors: { origin: true, credentials: false },
    };
    const server: Server = super.createIOServer(port, settings as ServerOptions);
    server.adapter(createAdapter(this.pub, this.sub, { key: `${this.channelPrefix}:socket.io` }));
    this.app.get(MetricsService).watchSockets(server);
    return server;
  }

  /**
   * Plain listeners instead of Nest's per-socket RxJS chains: the same handler pipeline (pipes, filters),
   * at a fraction of the memory an idle connection costs.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // An acknowledgement, when the client asked for one, is the last argument. (IoAdapter.mapPayload
        // would hand the whole argument array over as the payload of an event sent without one.)
        const last = args.at(-1);
        const ack = typeof last === 'function' ? (last as (response: unknown) => void) : undefined;
        const payload = ack ? args.slice(0, -1) : args;
        const data = payload.length === 1 ? payload[0] : payload.length === 0 ? undefined : payload;
        void this.respond(socket, () => transform(callback(data, ack)), isAckHandledManually ? undefined : ack);
      });
    }
  }

  private async respond(
    socket: Socket,
    run: () => Observable<unknown>,
    ack: ((response: unknown) => void) | undefined,
  ): Promise<void> {
    try {
      const response = await lastValueFrom(defer(run), { defaultValue: undefined });
      if (response === undefined || response === null) return;
      const { event, data } = response as { event?: string; data?: unknown };
      if (event) socket.emit(event, data);
      else ack?.(response);
    } catch (error) {
      this.logger.error(error);
    }
  }

  override async close(server: Server): Promise<void> {
    this.closed = true;
    await super.close(server);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
