import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { AgentClientEvents, AgentServerEvents } from './contracts/agent.events.js';
import type { VisitorClientEvents, VisitorServerEvents } from './contracts/visitor.events.js';

export type VisitorNamespace = Namespace<VisitorClientEvents, VisitorServerEvents>;
export type AgentNamespace = Namespace<AgentClientEvents, AgentServerEvents>;

export const conversationRoom = (conversationId: string): string => `conv:${conversationId}`;
export const agentRoom = (agentId: string): string => `agent:${agentId}`;

/**
 * The one way services reach connected clients. Gateways attach their namespaces at start-up;
 * with the Redis adapter a room emit reaches sockets on every node.
 */
@Injectable()
export class RealtimeHub {
  private visitors?: VisitorNamespace;
  private agents?: AgentNamespace;

  attachVisitors(namespace: VisitorNamespace): void {
    this.visitors = namespace;
  }

  attachAgents(namespace: AgentNamespace): void {
    this.agents = namespace;
  }

  toConversation(conversationId: string) {
    return this.visitorNamespace().to(conversationRoom(conversationId));
  }

  toAgent(agentId: string) {
    return this.agentNamespace().to(agentRoom(agentId));
  }

  /** Sockets of this agent on every node. */
  async agentSocketCount(agentId: string): Promise<number> {
    const sockets = await this.agentNamespace().in(agentRoom(agentId)).fetchSockets();
    return sockets.length;
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
