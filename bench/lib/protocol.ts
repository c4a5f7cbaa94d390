/**
 * The part of the socket protocol the load generator uses. Both servers under test speak it: the
 * Switchboard node (src/realtime/contracts) and the raw baseline (bench/raw-server.ts). The checks at the
 * bottom make the build fail if Switchboard's contracts stop matching what the bench relies on.
 */
import type { Assignment, Offer } from '../../src/realtime/contracts/agent.events.js';
import type { Ack as ContractAck, MessageAck, MessageView } from '../../src/realtime/contracts/common.js';
import type { VisitorConversation } from '../../src/realtime/contracts/visitor.events.js';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface BenchMessage {
  conversationId: string;
  seq: number;
  senderKind: 'customer' | 'agent' | 'system';
  clientId: string | null;
}

export interface BenchAssignment {
  conversation: { id: string };
  contact: { identities: { channel: string; externalId: string }[] };
}

export interface BenchMessageAck {
  id: string;
  seq: number;
}

export interface SendRequest {
  conversationId: string;
  clientId: string;
  body: string;
}

export interface VisitorListen {
  session: (data: { visitorId: string }) => void;
  message: (data: BenchMessage) => void;
}

export interface VisitorEmit {
  'conversation:start': (
    req: { prechat?: Record<string, string> },
    ack: (ack: Ack<{ conversation: { id: string } }>) => void,
  ) => void;
  'message:send': (req: SendRequest, ack: (ack: Ack<BenchMessageAck>) => void) => void;
}

export interface AgentListen {
  session: (data: unknown) => void;
  'conversation:assigned': (data: BenchAssignment) => void;
  /** Offer-mode queues only (Switchboard); the raw baseline never offers. */
  offer: (data: BenchAssignment) => void;
  message: (data: BenchMessage) => void;
}

export interface AgentEmit {
  'availability:set': (req: { availability: 'available' }, ack: (ack: Ack<unknown>) => void) => void;
  'offer:accept': (req: { conversationId: string }, ack: (ack: Ack<unknown>) => void) => void;
  'message:send': (req: SendRequest, ack: (ack: Ack<BenchMessageAck>) => void) => void;
  'conversation:close': (
    req: { conversationId: string; disposition: string },
    ack: (ack: Ack<{ conversationId: string }>) => void,
  ) => void;
}

// --- compile-time checks against Switchboard's own contracts -------------------------------------
type Assert<T extends true> = T;
export type ContractChecks = [
  Assert<Assignment extends BenchAssignment ? true : false>,
  Assert<Offer extends BenchAssignment ? true : false>,
  Assert<MessageView extends BenchMessage ? true : false>,
  Assert<MessageAck extends BenchMessageAck ? true : false>,
  Assert<VisitorConversation extends { id: string } ? true : false>,
  Assert<ContractAck<MessageAck> extends Ack<BenchMessageAck> ? true : false>,
];
