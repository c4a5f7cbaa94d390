import type { StaffRole } from '../../auth/staff-user.entity.js';
import type { ConversationStatus } from './conversation-state.js';

/**
 * Who is acting on a conversation. A customer acts through a website (`siteId`, their widget's site)
 * or through a messaging network (`siteId` null: their conversations belong to no site).
 */
export type Actor =
  | { kind: 'customer'; contactId: string; siteId: string | null }
  | { kind: 'staff'; staffId: string; role: StaffRole; displayName?: string };

export interface ConversationAccessFacts {
  contactId: string;
  siteId: string | null;
  agentId: string | null;
  status: ConversationStatus;
}

/** A customer reaches only their own conversations on the site they came from. */
export function isOwnConversation(actor: Actor, conversation: ConversationAccessFacts): boolean {
  return actor.kind === 'customer' && conversation.contactId === actor.contactId && conversation.siteId === actor.siteId;
}

/** Writing into a conversation (messages, typing, close, transfer): its customer or its assigned agent. */
export function canParticipate(actor: Actor, conversation: ConversationAccessFacts): boolean {
  if (actor.kind === 'customer') return isOwnConversation(actor, conversation);
  return conversation.agentId === actor.staffId;
}

export function isSupervisorOrAdmin(actor: Actor): boolean {
  return actor.kind === 'staff' && (actor.role === 'supervisor' || actor.role === 'admin');
}
