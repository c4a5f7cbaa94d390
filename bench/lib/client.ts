import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { AgentEmit, AgentListen, BenchAssignment, BenchMessage, VisitorEmit, VisitorListen } from './protocol.js';

export type VisitorSocket = Socket<VisitorListen, VisitorEmit>;
export type AgentSocket = Socket<AgentListen, AgentEmit>;
export type Direction = 'c2a' | 'a2c';

/** Where and how the load generator connects; the same for Switchboard and the raw baseline. */
export interface Endpoint {
  url: string;
  siteKey: string;
  /** A site whose queue uses offer mode and skill requirements (Switchboard only). */
  offerSiteKey?: string;
  origin: string;
  agentTokens: string[];
}

export interface Visitor {
  socket: VisitorSocket;
  visitorId: string;
  conversationId?: string;
}

export interface Agent {
  socket: AgentSocket;
  index: number;
}

export interface Delivery {
  direction: Direction;
  latencyMs: number;
}

interface PendingMessage {
  direction: Direction;
  sentAt: number;
}

const ACK_TIMEOUT_MS = 10_000;

type RequestOf<F extends (...args: never[]) => void> = Parameters<F>[0];
type AckOf<F extends (...args: never[]) => void> = Parameters<Parameters<F>[1]>[0];

/*
 * socket.io-client types `timeout(ms).emitWithAck` as `any` (its DecorateAcknowledgements puts the
 * timeout error first, which FirstArg does not expect), so requests go through these typed helpers.
 */
function askVisitor<K extends keyof VisitorEmit>(socket: VisitorSocket, event: K, req: RequestOf<VisitorEmit[K]>) {
  return (socket as unknown as Socket).timeout(ACK_TIMEOUT_MS).emitWithAck(event, req) as Promise<AckOf<VisitorEmit[K]>>;
}

function askAgent<K extends keyof AgentEmit>(socket: AgentSocket, event: K, req: RequestOf<AgentEmit[K]>) {
  return (socket as unknown as Socket).timeout(ACK_TIMEOUT_MS).emitWithAck(event, req) as Promise<AckOf<AgentEmit[K]>>;
}
const MESSAGE_BODY = 'Hello, I would like to ask about my policy renewal and the excess on my claim. ';

/**
 * Customers and agents for one server under test. One websocket per socket.io client (`forceNew`), so
 * each simulated person is its own connection, as in production.
 */
export class LoadClient {
  readonly agents: Agent[] = [];
  readonly visitors = new Map<string, Visitor>();
  private readonly agentOfConversation = new Map<string, Agent>();
  private readonly visitorOfConversation = new Map<string, Visitor>();
  private readonly pendingStarts = new Map<string, { startedAt: number; resolve: (latencyMs: number) => void }>();
  private readonly pendingMessages = new Map<string, PendingMessage>();
  private messageCounter = 0;

  /** Called for every message that reached the other party. */
  onDelivery: ((delivery: Delivery) => void) | null = null;
  /** Called for every message the server acknowledged to its sender, with the time to the ack. */
  onAck: ((ackMs: number) => void) | null = null;
  errors = 0;
  lastError: string | null = null;
  /** Offer mode: start emitted → `offer` at the agent, one entry per offer that matched a pending start. */
  readonly offerLatencies: number[] = [];

  constructor(private readonly endpoint: Endpoint) {}

  get conversations(): string[] {
    return [...this.agentOfConversation.keys()].filter((id) => this.visitorOfConversation.has(id));
  }

  get pendingMessageCount(): number {
    return this.pendingMessages.size;
  }

  // ---- agents -------------------------------------------------------------------------------------

  async connectAgents(): Promise<void> {
    await Promise.all(this.endpoint.agentTokens.map((token, index) => this.connectAgent(token, index)));
  }

  private async connectAgent(token: string, index: number): Promise<void> {
    const socket: AgentSocket = io(`${this.endpoint.url}/agent`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const agent: Agent = { socket, index };
    socket.on('conversation:assigned', (assignment) => this.assigned(agent, assignment));
    socket.on('offer', (offer) => this.offered(agent, offer));
    socket.on('message', (message) => {
      if (message.senderKind === 'customer') this.delivered(message);
    });
    await waitForSession<unknown>(socket, `agent ${index}`);
    const ack = await askAgent(socket, 'availability:set', { availability: 'available' });
    if (!ack.ok) throw new Error(`availability:set refused for agent ${index}: ${ack.error.message}`);
    this.agents.push(agent);
  }

  private assigned(agent: Agent, assignment: BenchAssignment): void {
    const arrivedAt = performance.now();
    this.agentOfConversation.set(assignment.conversation.id, agent);
    const visitorId = assignment.contact.identities.find((i) => i.channel === 'web')?.externalId;
    if (!visitorId) return;
    const visitor = this.visitors.get(visitorId);
    if (visitor) {
      visitor.conversationId = assignment.conversation.id;
      this.visitorOfConversation.set(assignment.conversation.id, visitor);
    }
    // The start is registered before it is emitted, so an assignment cannot overtake it.
    const pending = this.pendingStarts.get(visitorId);
    if (pending) {
      this.pendingStarts.delete(visitorId);
      pending.resolve(arrivedAt - pending.startedAt);
    }
  }

  /** Offer mode: every agent takes what it is offered at once (the assignment then completes the start). */
  private offered(agent: Agent, offer: BenchAssignment): void {
    const arrivedAt = performance.now();
    const visitorId = offer.contact.identities.find((i) => i.channel === 'web')?.externalId;
    const pending = visitorId ? this.pendingStarts.get(visitorId) : undefined;
    if (pending) this.offerLatencies.push(arrivedAt - pending.startedAt);
    askAgent(agent.socket, 'offer:accept', { conversationId: offer.conversation.id }).then(
      (ack) => {
        if (!ack.ok) this.noteError(`offer:accept refused: ${ack.error.code} ${ack.error.message}`);
      },
      (error: unknown) => this.noteError(error instanceof Error ? error.message : String(error)),
    );
  }

  private noteError(message: string): void {
    this.errors++;
    this.lastError = message;
  }

  // ---- visitors -----------------------------------------------------------------------------------

  /** Opens `count` visitor sockets, `batch` at a time, each resolved once its `session` arrived. */
  async openVisitors(count: number, batch = 50, siteKey = this.endpoint.siteKey): Promise<Visitor[]> {
    const opened: Visitor[] = [];
    for (let done = 0; done < count; done += batch) {
      const size = Math.min(batch, count - done);
      opened.push(...(await Promise.all(Array.from({ length: size }, () => this.openVisitor(siteKey)))));
    }
    return opened;
  }

  private async openVisitor(siteKey: string): Promise<Visitor> {
    const socket: VisitorSocket = io(`${this.endpoint.url}/visitor`, {
      auth: { siteKey },
      transports: ['websocket'],
      extraHeaders: { origin: this.endpoint.origin },
      forceNew: true,
      reconnection: false,
    });
    socket.on('message', (message) => {
      if (message.senderKind === 'agent') this.delivered(message);
    });
    const session = await waitForSession<{ visitorId: string }>(socket, 'visitor');
    const visitor: Visitor = { socket, visitorId: session.visitorId };
    this.visitors.set(visitor.visitorId, visitor);
    return visitor;
  }

  closeVisitors(visitors: readonly Visitor[]): void {
    for (const visitor of visitors) {
      visitor.socket.disconnect();
      this.visitors.delete(visitor.visitorId);
    }
  }

  /**
   * Starts the visitor's conversation and resolves with the routing latency: from just before
   * `conversation:start` is emitted to the arrival of `conversation:assigned` at the agent's socket.
   */
  startConversation(visitor: Visitor, timeoutMs = 15_000, onAck?: (ackMs: number) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingStarts.delete(visitor.visitorId);
        reject(new Error(`no assignment within ${timeoutMs} ms`));
      }, timeoutMs);
      const startedAt = performance.now();
      this.pendingStarts.set(visitor.visitorId, {
        startedAt,
        resolve: (latencyMs) => {
          clearTimeout(timer);
          resolve(latencyMs);
        },
      });
      askVisitor(visitor.socket, 'conversation:start', {}).then(
          (ack) => {
            if (ack.ok) {
              onAck?.(performance.now() - startedAt);
              return;
            }
            clearTimeout(timer);
            this.pendingStarts.delete(visitor.visitorId);
            reject(new Error(`conversation:start refused: ${ack.error.code} ${ack.error.message}`));
          },
          (error: unknown) => {
            clearTimeout(timer);
            this.pendingStarts.delete(visitor.visitorId);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
    });
  }

  // ---- messages -----------------------------------------------------------------------------------

  /**
   * Sends one message in a conversation; its latency is recorded when the other party's socket
   * receives it (`onDelivery`). The clock starts just before the emit.
   */
  send(conversationId: string, direction: Direction): void {
    const agent = this.agentOfConversation.get(conversationId);
    const visitor = this.visitorOfConversation.get(conversationId);
    if (!agent || !visitor) throw new Error(`conversation ${conversationId} has no agent and visitor on this client`);
    const clientId = `m${++this.messageCounter}`;
    const request = { conversationId, clientId, body: `${MESSAGE_BODY}#${this.messageCounter}` };
    const sentAt = performance.now();
    this.pendingMessages.set(clientId, { direction, sentAt });
    const acked =
      direction === 'c2a'
        ? askVisitor(visitor.socket, 'message:send', request)
        : askAgent(agent.socket, 'message:send', request);
    acked.then(
      (ack) => {
        if (ack.ok) this.onAck?.(performance.now() - sentAt);
        else this.fail(clientId, `message:send refused: ${ack.error.code} ${ack.error.message}`);
      },
      (error: unknown) => this.fail(clientId, `message:send not acknowledged: ${String(error)}`),
    );
  }

  /** Forgets messages still in flight (counted as lost by the caller). */
  dropPending(): number {
    const lost = this.pendingMessages.size;
    this.pendingMessages.clear();
    return lost;
  }

  private delivered(message: BenchMessage): void {
    const arrivedAt = performance.now();
    if (!message.clientId) return;
    const pending = this.pendingMessages.get(message.clientId);
    if (!pending) return;
    this.pendingMessages.delete(message.clientId);
    this.onDelivery?.({ direction: pending.direction, latencyMs: arrivedAt - pending.sentAt });
  }

  private fail(clientId: string, reason: string): void {
    this.pendingMessages.delete(clientId);
    this.noteError(reason);
  }

  async closeConversation(conversationId: string): Promise<void> {
    const agent = this.agentOfConversation.get(conversationId);
    if (!agent) return;
    const ack = await askAgent(agent.socket, 'conversation:close', { conversationId, disposition: 'resolved' });
    if (!ack.ok) throw new Error(`conversation:close refused: ${ack.error.message}`);
  }

  disconnectAll(): void {
    for (const visitor of this.visitors.values()) visitor.socket.disconnect();
    for (const agent of this.agents) agent.socket.disconnect();
    this.visitors.clear();
  }
}

/** Resolves with the first `session` payload; rejects on a connection error or after `timeoutMs`. */
function waitForSession<T>(typed: VisitorSocket | AgentSocket, who: string, timeoutMs = 20_000): Promise<T> {
  const socket = typed as unknown as Socket;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`${who}: no session within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('session', (data: T) => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.once('connect_error', (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${who}: connect failed: ${error.message}`));
    });
  });
}
