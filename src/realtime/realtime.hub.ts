import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import type { AgentClientEvents, AgentServerEvents } from './contracts/agent.events.js';
import type {
  ConversationChange,
  SupervisorClientEvents,
  SupervisorServerEvents,
  SupervisorSnapshot,
} from './contracts/supervisor.events.js';
import type { VisitorClientEvents, VisitorServerEvents } from './contracts/visitor.events.js';
import { ConversationWatches, watchRoom } from './conversation-watches.js';

export { watchRoom };

export type VisitorNamespace = Namespace<VisitorClientEvents, VisitorServerEvents>;
export type AgentNamespace = Namespace<AgentClientEvents, AgentServerEvents>;
export type SupervisorNamespace = Namespace<SupervisorClientEvents, SupervisorServerEvents>;

export const conversationRoom = (conversationId: string): string => `conv:${conversationId}`;
export const agentRoom = (agentId: string): string => `agent:${agentId}`;
/** Every supervisor-namespace socket of one staff member. */
export const supervisorRoom = (staffId: string): string => `staff:${staffId}`;

/**
 * The one way services reach connected clients. Gateways attach their namespaces at start-up;
 * with the Redis adapter a room emit reaches sockets on every node.
 */
@Injectable()
export class RealtimeHub implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RealtimeHub.name);
  private visitors?: VisitorNamespace;
  private agents?: AgentNamespace;
  private supervisors?: SupervisorNamespace;
  private watches?: ConversationWatches;
  /** Disconnect handling still running (see `track`). */
  private readonly settling = new Set<Promise<unknown>>();
  private closing = false;

  attachVisitors(namespace: VisitorNamespace): void {
    this.visitors = this.gated(namespace);
  }

  attachAgents(namespace: AgentNamespace): void {
    this.agents = this.gated(namespace);
  }

  attachSupervisors(namespace: SupervisorNamespace): void {
    this.supervisors = this.gated(namespace);
    this.watches = new ConversationWatches(namespace);
    this.watches.start();
  }

  /** While the node shuts down, a connecting client is sent away at the transport: it retries elsewhere. */
  private gated<N extends Namespace>(namespace: N): N {
    namespace.use((socket, next) => {
      if (this.closing) socket.conn.close();
      else next();
    });
    return namespace;
  }

  /**
   * Registers a gateway's disconnect handling, so that a shutting-down node lets it finish while the
   * database and job queues are still open. Returns `work`.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.settling.add(work);
    work.then(
      () => this.settling.delete(work),
      () => this.settling.delete(work),
    );
    return work;
  }

  /**
   * Runs before the database and the job queues close (they close after this hook): this node's
   * sockets are closed at the transport, so clients reconnect on their own (to another node), and each
   * disconnect is handled as any dropped connection is — agents get their grace period, customers
   * their abandonment grace. Nest would close the sockets a step later without waiting for their
   * handlers, which then raced the database's close.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.watches?.stop();
    const sockets: Socket[] = [this.visitors, this.agents, this.supervisors].flatMap((ns) =>
      ns ? [...ns.sockets.values()] : [],
    );
    const gone = sockets.map(
      (socket) => new Promise<void>((resolve) => socket.once('disconnect', () => resolve())),
    );
    for (const socket of sockets) socket.conn.close();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
    const drained = Promise.all(gone).then(() => Promise.allSettled([...this.settling]));
    if ((await Promise.race([drained, timeout])) === 'timeout')
      this.logger.warn(
        { sockets: sockets.length, pending: this.settling.size },
        'sockets still closing at shutdown',
      );
  }

  /**
   * Pushes metrics to these supervisor sockets of this node, without a Redis publish: every node computes
   * and pushes the metrics for its own supervisors, so nothing of this goes to another node.
   */
  metricsToLocalSupervisors(socketIds: string[], snapshot: SupervisorSnapshot): void {
    if (!this.supervisors) throw new Error('The supervisor namespace is not attached yet');
    // An empty room list would mean every socket of the namespace.
    if (socketIds.length > 0) this.supervisors.local.to(socketIds).emit('metrics', snapshot);
  }

  toConversation(conversationId: string) {
    return this.visitorNamespace().to(conversationRoom(conversationId));
  }

  /** Whether some supervisor socket, on any node, may be watching the conversation (see ConversationWatches). */
  isWatched(conversationId: string): boolean {
    return this.watches?.isWatched(conversationId) ?? false;
  }

  /** A supervisor socket of this node now watches the conversation (it has joined its watch room). */
  watching(conversationId: string): void {
    this.watches?.watched(conversationId);
  }

  /**
   * Tells the supervisors watching this conversation, on any node, that it changed. Free when nobody
   * watches it: no Redis publish.
   */
  conversationChanged(conversationId: string, change: ConversationChange): void {
    if (!this.isWatched(conversationId)) return;
    this.supervisors?.to(watchRoom(conversationId)).emit('conversation:changed', { conversationId, change });
  }

  toAgent(agentId: string) {
    return this.agentNamespace().to(agentRoom(agentId));
  }

  /** Sockets of this agent on every node. */
  async agentSocketCount(agentId: string): Promise<number> {
    const sockets = await this.agentNamespace().in(agentRoom(agentId)).fetchSockets();
    return sockets.length;
  }

  /** Staff ids with an agent socket on any node (all nodes answer, or this rejects). */
  async connectedAgentIds(): Promise<Set<string>> {
    const sockets = await this.agentNamespace().fetchSockets();
    return new Set(
      sockets.map((s) => (s.data as { staff?: { id: string } }).staff?.id).filter((id) => id !== undefined),
    );
  }

  /**
   * Closes every agent and supervisor socket of this staff member on every node (account disabled,
   * role changed): a reconnect is authenticated again with what the account now allows.
   */
  disconnectStaff(staffId: string): void {
    this.agents?.in(agentRoom(staffId)).disconnectSockets(true);
    this.supervisors?.in(supervisorRoom(staffId)).disconnectSockets(true);
  }

  /** Makes every visitor socket of this visitor (any node) join the conversation's room. */
  joinVisitorToConversation(visitorId: string, conversationId: string): void {
    this.visitorNamespace().in(`visitor:${visitorId}`).socketsJoin(conversationRoom(conversationId));
  }

  private visitorNamespace(): VisitorNamespace {
    if (!this.visitors) throw new Error('The visitor namespace is not attached yet');
    return this.visitors;
  }

  private agentNamespace(): AgentNamespace {
    if (!this.agents) throw new Error('The agent namespace is not attached yet');
    return this.agents;
  }
}
