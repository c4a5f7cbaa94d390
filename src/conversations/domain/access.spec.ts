import {
  canParticipate,
  isOwnConversation,
  isSupervisorOrAdmin,
  type Actor,
  type ConversationAccessFacts,
} from './access.js';

const conversation = (overrides: Partial<ConversationAccessFacts> = {}): ConversationAccessFacts => ({
  contactId: 'contact-maria',
  siteId: 'site-acme',
  agentId: 'agent-ana',
  status: 'assigned',
  ...overrides,
});

const maria: Actor = { kind: 'customer', contactId: 'contact-maria', siteId: 'site-acme' };
const ana: Actor = { kind: 'staff', staffId: 'agent-ana', role: 'agent' };
const ben: Actor = { kind: 'staff', staffId: 'agent-ben', role: 'agent' };
const sue: Actor = { kind: 'staff', staffId: 'sup-sue', role: 'supervisor' };
const root: Actor = { kind: 'staff', staffId: 'admin-root', role: 'admin' };

describe('isOwnConversation', () => {
  it('lets a customer reach their own conversation on the site they came from', () => {
    expect(isOwnConversation(maria, conversation())).toBe(true);
  });

  it("refuses another contact's conversation on the same site", () => {
    expect(isOwnConversation(maria, conversation({ contactId: 'contact-other' }))).toBe(false);
  });

  it('refuses their own contact’s conversation when it belongs to another site', () => {
    expect(isOwnConversation(maria, conversation({ siteId: 'site-other' }))).toBe(false);
  });

  it('refuses a conversation from a channel without a site (e.g. a messaging app)', () => {
    expect(isOwnConversation(maria, conversation({ siteId: null }))).toBe(false);
  });

  it('is never true for staff, even the assigned agent', () => {
    expect(isOwnConversation(ana, conversation())).toBe(false);
    expect(isOwnConversation(root, conversation())).toBe(false);
  });
});

describe('canParticipate', () => {
  it('lets the customer of the conversation write into it', () => {
    expect(canParticipate(maria, conversation())).toBe(true);
  });

  it('refuses a customer of another contact or another site', () => {
    const otherContact: Actor = { kind: 'customer', contactId: 'contact-other', siteId: 'site-acme' };
    const otherSite: Actor = { kind: 'customer', contactId: 'contact-maria', siteId: 'site-other' };
    expect(canParticipate(otherContact, conversation())).toBe(false);
    expect(canParticipate(otherSite, conversation())).toBe(false);
  });

  it('lets the assigned agent write into it', () => {
    expect(canParticipate(ana, conversation())).toBe(true);
  });

  it('refuses an agent the conversation is not assigned to', () => {
    expect(canParticipate(ben, conversation())).toBe(false);
  });

  it('refuses every staff member while the conversation waits unassigned', () => {
    const waiting = conversation({ agentId: null, status: 'queued' });
    expect(canParticipate(ana, waiting)).toBe(false);
    expect(canParticipate(ben, waiting)).toBe(false);
  });

  it('does not by itself let supervisors and admins write into conversations they are not assigned', () => {
    expect(canParticipate(sue, conversation())).toBe(false);
    expect(canParticipate(root, conversation())).toBe(false);
  });

  it('does not mistake a customer whose contact id equals the agent id for the agent', () => {
    const lookalike: Actor = { kind: 'customer', contactId: 'agent-ana', siteId: 'site-acme' };
    expect(canParticipate(lookalike, conversation())).toBe(false);
  });
});

describe('isSupervisorOrAdmin', () => {
  it('is true for supervisors and admins only', () => {
    expect(isSupervisorOrAdmin(sue)).toBe(true);
    expect(isSupervisorOrAdmin(root)).toBe(true);
    expect(isSupervisorOrAdmin(ana)).toBe(false);
    expect(isSupervisorOrAdmin(maria)).toBe(false);
  });
});
