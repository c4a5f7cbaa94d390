// One whole website conversation against a Switchboard started with demo data (`npm run demo`):
// an agent signs in and goes available, a customer starts a chat with the pre-chat form, the two
// exchange messages, and the agent closes the conversation with a disposition.
//
//   node docs/examples/quickstart.mjs
//   BASE_URL=http://localhost:3300 node docs/examples/quickstart.mjs
//
// BASE_URL   the server (default http://localhost:3000)
// ORIGIN     the Origin the customer's browser would send; it must be on the demo site's allowed
//            origins, which are http://localhost:<port+1>, http://127.0.0.1:<port+1> and
//            http://localhost:<port>. Default: http://localhost:<port of BASE_URL + 1>.
//
// Needs Node.js >= 20.19 and socket.io-client 4.8 (a dev dependency of this repository).
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const BASE_URL = (process.env.BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const base = new URL(BASE_URL);
const ORIGIN =
  process.env.ORIGIN ??
  `http://localhost:${Number(base.port || (base.protocol === 'https:' ? 443 : 80)) + 1}`;
const SITE_KEY = 'demo-insurer';
const AGENT = { email: 'ana@demo.switchboard.local', password: 'demo-agent-password' };
const TIMEOUT_MS = 10_000;

const log = (who, what, data) =>
  console.log(`${who.padEnd(8)} ${what}`, data === undefined ? '' : JSON.stringify(data));

/** Emits a request event and resolves with `data` of an `{ ok: true }` acknowledgement. */
async function request(socket, event, payload) {
  const ack = await socket.timeout(TIMEOUT_MS).emitWithAck(event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Resolves with the next `event` whose payload satisfies `accept`. */
function nextEvent(socket, event, accept = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    const listener = (data) => {
      if (!accept(data)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(data);
    };
    socket.on(event, listener);
  });
}

/** Connects and resolves with the socket and its `session` event, or rejects with the handshake error. */
function connect(namespace, options) {
  // forceNew: each party gets its own connection (socket.io-client would otherwise share one
  // connection between namespaces of the same server, with the first one's headers).
  const socket = io(`${BASE_URL}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...options,
  });
  return new Promise((resolve, reject) => {
    socket.once('session', (session) => resolve({ socket, session }));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`${namespace}: ${err.message} ${JSON.stringify(err.data ?? null)}`));
    });
  });
}

async function main() {
  // 1. The agent signs in over HTTP and opens the console socket.
  const res = await fetch(`${BASE_URL}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(AGENT),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const { accessToken, staff } = await res.json();
  log('agent', 'signed in as', staff);

  const { socket: agent, session: agentSession } = await connect('/agent', { auth: { token: accessToken } });
  log('agent', 'session', {
    availability: agentSession.availability,
    assignments: agentSession.assignments.length,
  });

  // Listen before anything can be assigned: the assignment may arrive before the customer's ack.
  const assignments = new Map();
  agent.on('conversation:assigned', (a) => assignments.set(a.conversation.id, a));
  agent.on('typing', (t) => log('agent', 'sees typing', t));

  log('agent', 'availability:set', await request(agent, 'availability:set', { availability: 'available' }));

  // 2. The customer opens the widget: site key in `auth`, and the page's Origin.
  const { socket: customer, session: visitorSession } = await connect('/visitor', {
    auth: { siteKey: SITE_KEY },
    extraHeaders: { Origin: ORIGIN },
  });
  log('customer', 'session', {
    visitorId: visitorSession.visitorId,
    conversations: visitorSession.conversations.length,
  });
  // Keep visitorSession.token (e.g. in localStorage) to come back as the same visitor later.

  const seen = new Set(); // message ids: delivery is at least once, so dedupe
  customer.on('message', (m) => {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    log('customer', `message #${m.seq} from ${m.senderKind}`, m.body);
  });
  customer.on('queue:position', (p) => log('customer', 'queue:position', p));
  const joined = nextEvent(customer, 'agent:joined');

  // 3. Start the conversation with the pre-chat answers and a first message.
  const started = await request(customer, 'conversation:start', {
    prechat: {
      name: 'Maria Lopez',
      email: 'maria@example.com',
      policyNumber: 'POL-2024-0042',
      claimType: 'Car',
      incidentDate: '2026-11-20',
    },
    message: { clientId: randomUUID(), body: 'Hello, someone drove into my parked car.' },
  });
  const conversationId = started.conversation.id;
  log('customer', 'conversation:start ack', started);

  // 4. Routing assigns it to the agent; the customer is told who joined.
  const assignment =
    assignments.get(conversationId) ??
    (await nextEvent(agent, 'conversation:assigned', (a) => a.conversation.id === conversationId));
  log('agent', 'conversation:assigned', {
    conversation: conversationId,
    attributes: assignment.conversation.attributes,
    contact: assignment.contact.displayName,
    messages: assignment.messages.map((m) => `#${m.seq} ${m.body}`),
  });
  log('customer', 'agent:joined', (await joined).agent);

  // 5. The customer types and sends a second message; a retry with the same clientId is harmless.
  await request(customer, 'typing', { conversationId, isTyping: true });
  const second = {
    conversationId,
    clientId: randomUUID(),
    body: 'The other driver left a note with a phone number.',
  };
  const atAgent = nextEvent(
    agent,
    'message',
    (m) => m.conversationId === conversationId && m.senderKind === 'customer',
  );
  const sent = await request(customer, 'message:send', second);
  const retried = await request(customer, 'message:send', second);
  log('customer', 'message:send ack', sent);
  log('customer', 'same clientId again, same ack', retried.id === sent.id && retried.seq === sent.seq);
  log('agent', 'message', (await atAgent).body);

  // 6. The agent replies, and writes an internal note the customer never receives.
  const replyAtCustomer = nextEvent(customer, 'message', (m) => m.senderKind === 'agent');
  const reply = await request(agent, 'message:send', {
    conversationId,
    clientId: randomUUID(),
    body: 'I am sorry to hear that. I have opened claim CL-1001 for you; please send photos of the damage.',
  });
  log('agent', 'message:send ack', reply);
  const received = await replyAtCustomer;
  log('customer', `reply from ${received.senderName}`, received.body);
  const note = await request(agent, 'message:send', {
    conversationId,
    clientId: randomUUID(),
    body: 'Third-party claim, check the note with the phone number.',
    internal: true,
  });
  log('agent', 'internal note ack', note);

  // 7. After a reconnect a client asks for everything after the last seq it saw.
  const synced = await request(customer, 'sync', { conversationId, afterSeq: 0 });
  log(
    'customer',
    'sync from seq 0',
    synced.messages.map((m) => `#${m.seq} ${m.senderKind}`),
  );

  // 8. The agent closes the conversation with a disposition; both sides are told.
  const closedAtCustomer = nextEvent(customer, 'conversation:closed');
  const closedAtAgent = nextEvent(agent, 'conversation:closed');
  log(
    'agent',
    'conversation:close ack',
    await request(agent, 'conversation:close', { conversationId, disposition: 'claim-opened' }),
  );
  log('customer', 'conversation:closed', await closedAtCustomer);
  log('agent', 'conversation:closed', await closedAtAgent);

  // The transcript stays readable over HTTP, internal notes included (staff only).
  const transcript = await fetch(`${BASE_URL}/conversations/${conversationId}/transcript`, {
    headers: { authorization: `Bearer ${accessToken}` },
  }).then((r) => r.json());
  log('agent', 'transcript', {
    status: transcript.conversation.status,
    disposition: transcript.conversation.disposition,
    messages: transcript.messages.map((m) => `#${m.seq} ${m.senderKind}${m.internal ? ' (internal)' : ''}`),
    events: transcript.events.map((e) => e.type),
  });

  await request(agent, 'availability:set', { availability: 'away' });
  customer.close();
  agent.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
