import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/** socket.io with the Redis adapter, so a room emit on one node reaches sockets on all nodes. */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    app: INestApplicationContext,
    redisUrl: string,
    private readonly maxPayloadBytes: number,
    private readonly channelPrefix: string,
  ) {
    super(app);
    this.pub = new Redis(redisUrl, { lazyConnect: false });
    this.sub = this.pub.duplicate();
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
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
