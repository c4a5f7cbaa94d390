import type { IncomingMessage, ServerResponse } from 'node:http';

export type RawBodyRequest = IncomingMessage & { body?: unknown; rawBody?: Buffer };

/**
 * Reads webhook bodies as raw bytes, whatever their content type: signatures are computed over exactly
 * these bytes. Mounted on `/webhooks` before Nest's body parsers, which then see a consumed request and
 * leave it alone. Bodies over `limit` bytes get 413 and nothing is kept.
 */
export function rawWebhookBody(limit: number) {
  return (req: RawBodyRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        res.statusCode = 413;
        res.setHeader('content-type', 'application/json');
        res.setHeader('connection', 'close');
        res.end(JSON.stringify({ statusCode: 413, message: `Webhook body over ${limit} bytes` }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      req.rawBody = Buffer.concat(chunks);
      req.body = req.rawBody;
      next();
    });
    req.on('error', (error) => {
      if (!refused) next(error);
    });
  };
}
