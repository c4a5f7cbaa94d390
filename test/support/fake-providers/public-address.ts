import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The server's public address, as a reverse proxy in front of a deployment provides it: started before
 * the node (its URL becomes PUBLIC_URL), forwarding every request to the node once `target` is set.
 * Providers fetch agents' files through it, as they would through the real public address.
 */
export class PublicAddress {
  private server?: Server;
  /** The node's own URL (`TestNode.url`). */
  target = '';
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (!this.target) {
        res.writeHead(502).end();
        return;
      }
      const upstream = new URL(this.target);
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on('error', () => res.writeHead(502).end());
      req.pipe(forwarded);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
