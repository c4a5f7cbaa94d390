/**
 * The raw baseline: the least a chat relay has to do, with the same building blocks Switchboard uses
 * (socket.io 4.8 over websockets, PostgreSQL through `pg`) and nothing else — no Nest, no ORM, no
 * validation, no Redis, no job queue. It speaks the subset of Switchboard's socket protocol the load
 * generator uses (bench/lib/protocol.ts), so one client drives both servers.
 *
 * - `/visitor`  connect → `session` {visitorId}. `conversation:start` → one transaction inserting the
 *   conversation, ack, then a routing transaction (below). `message:send` → persist (below), ack, emit
 *   `message` to the assigned agent's room.
 * - `/agent`    handshake auth {token} names the agent (row upserted). `availability:set` → update,
 *   ack, route. `message:send` → persist, ack, emit `message` to the conversation's room (the visitor).
 * - persist     BEGIN; UPDATE raw_conversation SET last_seq = last_seq + 1 … RETURNING; INSERT
 *               raw_message; COMMIT — a gapless per-conversation seq, like Switchboard's.
 * - routing     BEGIN; SELECT the oldest queued conversation FOR UPDATE SKIP LOCKED; SELECT the least
 *               busy available agent under capacity FOR UPDATE SKIP LOCKED; UPDATE both; COMMIT; emit
 *               `conversation:assigned` to the agent's room.
 *
 * Environment: PORT, DATABASE_URL (the database must exist; tables are created here), AGENT_CAPACITY.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { Server, type Socket } from 'socket.io';

const port = Number(process.env.PORT ?? 3100);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchboard_bench_raw';
const AGENT_CAPACITY = Number(process.env.AGENT_CAPACITY ?? 50);

// Same pool size as Switchboard's TypeORM data source (extra.max = 20).
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });

async function tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function createSchema(): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS raw_agent (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      capacity int NOT NULL,
      active_count int NOT NULL DEFAULT 0,
      available boolean NOT NULL DEFAULT false,
      last_assigned_at timestamptz
    );
    CREATE TABLE IF NOT EXISTS raw_conversation (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      visitor_id text NOT NULL,
      status text NOT NULL,
      agent_id uuid REFERENCES raw_agent(id),
      last_seq int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS raw_conversation_queued_idx ON raw_conversation (created_at) WHERE status = 'queued';
    CREATE TABLE IF NOT EXISTS raw_message (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      conversation_id uuid NOT NULL REFERENCES raw_conversation(id),
      seq int NOT NULL,
      sender_kind text NOT NULL,
      body text NOT NULL,
      client_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (conversation_id, seq)
    );
  `);
}

type Ack = (response: unknown) => void;
const agentRoom = (id: string) => `agent:${id}`;
const conversationRoom = (id: string) => `conv:${id}`;
const fail = (ack: unknown, code: string, message: string) => {
  if (typeof ack === 'function') (ack as Ack)({ ok: false, error: { code, message } });
};

interface SendBody {
  conversationId: string;
  clientId: string;
  body: string;
}

function parseSend(req: unknown): SendBody | null {
  if (typeof req !== 'object' || req === null) return null;
  const { conversationId, clientId, body } = req as Record<string, unknown>;
  if (typeof conversationId !== 'string' || typeof clientId !== 'string' || typeof body !== 'string') return null;
  return { conversationId, clientId, body };
}

/** The persist step: seq bump and insert in one transaction. Null when the sender is not a participant. */
async function persist(
  send: SendBody,
  sender: { kind: 'customer'; visitorId: string } | { kind: 'agent'; agentId: string },
): Promise<{ id: string; seq: number; createdAt: Date; agentId: string | null } | null> {
  return tx(async (client) => {
    const bumped = await client.query<{ last_seq: number; agent_id: string | null }>(
      sender.kind === 'customer'
        ? `UPDATE raw_conversation SET last_seq = last_seq + 1
            WHERE id = $1 AND visitor_id = $2 AND status <> 'closed' RETURNING last_seq, agent_id`
        : `UPDATE raw_conversation SET last_seq = last_seq + 1
            WHERE id = $1 AND agent_id = $2 AND status = 'assigned' RETURNING last_seq, agent_id`,
      [send.conversationId, sender.kind === 'customer' ? sender.visitorId : sender.agentId],
    );
    const row = bumped.rows[0];
    if (!row) return null;
    const inserted = await client.query<{ id: string; created_at: Date }>(
      `INSERT INTO raw_message (conversation_id, seq, sender_kind, body, client_id)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
      [send.conversationId, row.last_seq, sender.kind, send.body, send.clientId],
    );
    return { id: inserted.rows[0].id, seq: row.last_seq, createdAt: inserted.rows[0].created_at, agentId: row.agent_id };
  });
}

function messageView(
  conversationId: string,
  stored: { id: string; seq: number; createdAt: Date },
  send: SendBody,
  senderKind: 'customer' | 'agent',
) {
  return {
    id: stored.id,
    conversationId,
    seq: stored.seq,
    senderKind,
    body: send.body,
    clientId: send.clientId,
    createdAt: stored.createdAt.toISOString(),
  };
}

const httpServer = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    pool.query('SELECT 1').then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
      () => res.writeHead(503).end(),
    );
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(httpServer, { maxHttpBufferSize: 64 * 1024, cors: { origin: true, credentials: false } });
const visitors = io.of('/visitor');
const agents = io.of('/agent');

/** Assigns queued conversations until none is waiting or no agent has room. */
async function route(): Promise<void> {
  for (;;) {
    const made = await tx(async (client) => {
      const waiting = await client.query<{ id: string; visitor_id: string }>(
        `SELECT id, visitor_id FROM raw_conversation WHERE status = 'queued'
          ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const conversation = waiting.rows[0];
      if (!conversation) return null;
      const free = await client.query<{ id: string }>(
        `SELECT id FROM raw_agent WHERE available AND active_count < capacity
          ORDER BY active_count, last_assigned_at NULLS FIRST, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const agent = free.rows[0];
      if (!agent) return null;
      await client.query(`UPDATE raw_conversation SET status = 'assigned', agent_id = $2 WHERE id = $1`, [
        conversation.id,
        agent.id,
      ]);
      await client.query(
        `UPDATE raw_agent SET active_count = active_count + 1, last_assigned_at = now() WHERE id = $1`,
        [agent.id],
      );
      return { conversationId: conversation.id, visitorId: conversation.visitor_id, agentId: agent.id };
    });
    if (!made) return;
    agents.to(agentRoom(made.agentId)).emit('conversation:assigned', {
      conversation: { id: made.conversationId, status: 'assigned', agentId: made.agentId },
      contact: { identities: [{ channel: 'web', externalId: made.visitorId }] },
      messages: [],
    });
    visitors.to(conversationRoom(made.conversationId)).emit('agent:joined', {
      conversationId: made.conversationId,
      agent: { id: made.agentId },
    });
  }
}

function routeInBackground(): void {
  route().catch((error: unknown) => process.stderr.write(`raw-server: routing failed: ${String(error)}\n`));
}

visitors.on('connection', (socket: Socket) => {
  const visitorId = randomUUID();
  void socket.join(`visitor:${visitorId}`);
  socket.emit('session', { token: '', visitorId, conversations: [] });

  socket.on('conversation:start', (_req: unknown, ack: unknown) => {
    tx((client) =>
      client.query<{ id: string }>(
        `INSERT INTO raw_conversation (visitor_id, status) VALUES ($1, 'queued') RETURNING id`,
        [visitorId],
      ),
    ).then(
      async (inserted) => {
        const id = inserted.rows[0].id;
        await socket.join(conversationRoom(id));
        if (typeof ack === 'function') (ack as Ack)({ ok: true, data: { conversation: { id, status: 'queued' }, message: null } });
        routeInBackground();
      },
      (error: unknown) => fail(ack, 'internal', String(error)),
    );
  });

  socket.on('message:send', (req: unknown, ack: unknown) => {
    const send = parseSend(req);
    if (!send) return fail(ack, 'bad_request', 'conversationId, clientId and body are required');
    persist(send, { kind: 'customer', visitorId }).then(
      (stored) => {
        if (!stored) return fail(ack, 'not_found', 'No such conversation');
        if (typeof ack === 'function') {
          (ack as Ack)({ ok: true, data: { id: stored.id, seq: stored.seq, createdAt: stored.createdAt.toISOString() } });
        }
        if (stored.agentId) agents.to(agentRoom(stored.agentId)).emit('message', messageView(send.conversationId, stored, send, 'customer'));
      },
      (error: unknown) => fail(ack, 'internal', String(error)),
    );
  });
});

agents.use((socket, next) => {
  const token = (socket.handshake.auth as { token?: unknown }).token;
  if (typeof token !== 'string' || token.length === 0) {
    next(new Error('A token is required'));
    return;
  }
  pool
    .query<{ id: string }>(
      `INSERT INTO raw_agent (name, capacity) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [token, AGENT_CAPACITY],
    )
    .then(
      (result) => {
        (socket.data as { agentId: string }).agentId = result.rows[0].id;
        next();
      },
      (error: unknown) => next(new Error(String(error))),
    );
});

agents.on('connection', (socket: Socket) => {
  const { agentId } = socket.data as { agentId: string };
  void socket.join(agentRoom(agentId));
  socket.emit('session', { agent: { id: agentId }, availability: 'offline', assignments: [] });

  socket.on('availability:set', (req: unknown, ack: unknown) => {
    const availability = (req as { availability?: unknown } | null)?.availability;
    pool.query(`UPDATE raw_agent SET available = $2 WHERE id = $1`, [agentId, availability === 'available']).then(
      () => {
        if (typeof ack === 'function') (ack as Ack)({ ok: true, data: { availability } });
        routeInBackground();
      },
      (error: unknown) => fail(ack, 'internal', String(error)),
    );
  });

  socket.on('message:send', (req: unknown, ack: unknown) => {
    const send = parseSend(req);
    if (!send) return fail(ack, 'bad_request', 'conversationId, clientId and body are required');
    persist(send, { kind: 'agent', agentId }).then(
      (stored) => {
        if (!stored) return fail(ack, 'forbidden', 'This conversation is not yours');
        if (typeof ack === 'function') {
          (ack as Ack)({ ok: true, data: { id: stored.id, seq: stored.seq, createdAt: stored.createdAt.toISOString() } });
        }
        visitors.to(conversationRoom(send.conversationId)).emit('message', messageView(send.conversationId, stored, send, 'agent'));
      },
      (error: unknown) => fail(ack, 'internal', String(error)),
    );
  });

  socket.on('conversation:close', (req: unknown, ack: unknown) => {
    const conversationId = (req as { conversationId?: unknown } | null)?.conversationId;
    tx(async (client) => {
      const closed = await client.query(
        `UPDATE raw_conversation SET status = 'closed' WHERE id = $1 AND agent_id = $2 AND status = 'assigned'`,
        [conversationId, agentId],
      );
      if (closed.rowCount === 1) {
        await client.query(`UPDATE raw_agent SET active_count = active_count - 1 WHERE id = $1`, [agentId]);
      }
      return closed.rowCount === 1;
    }).then(
      (done) => {
        if (!done) return fail(ack, 'not_found', 'No such conversation');
        if (typeof ack === 'function') (ack as Ack)({ ok: true, data: { conversationId } });
        routeInBackground();
      },
      (error: unknown) => fail(ack, 'internal', String(error)),
    );
  });
});

async function main(): Promise<void> {
  await createSchema();
  await new Promise<void>((resolve) => httpServer.listen(port, '0.0.0.0', resolve));
  process.stdout.write(`raw-server listening on ${port}\n`);
}

function shutdown(): void {
  void io.close();
  pool.end().then(
    () => process.exit(0),
    () => process.exit(0),
  );
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

main().catch((error: unknown) => {
  process.stderr.write(`raw-server: failed to start: ${String(error)}\n`);
  process.exit(1);
});
