import {
  canTransition,
  CONVERSATION_STATUSES,
  InvalidTransitionError,
  transition,
  type ConversationAction,
  type ConversationStatus,
} from './conversation-state.js';

const ACTIONS: ConversationAction[] = [
  'assign',
  'requeue',
  'transfer-to-queue',
  'transfer-to-agent',
  'close',
];

/** The lifecycle as a customer and an agent experience it; anything not listed is refused. */
const ALLOWED: [ConversationStatus, ConversationAction, ConversationStatus][] = [
  ['queued', 'assign', 'assigned'],
  ['assigned', 'requeue', 'queued'],
  ['queued', 'transfer-to-queue', 'queued'],
  ['assigned', 'transfer-to-queue', 'queued'],
  ['queued', 'transfer-to-agent', 'assigned'],
  ['assigned', 'transfer-to-agent', 'assigned'],
  ['queued', 'close', 'closed'],
  ['assigned', 'close', 'closed'],
];

const FORBIDDEN: [ConversationStatus, ConversationAction][] = CONVERSATION_STATUSES.flatMap((from) =>
  ACTIONS.filter((action) => !ALLOWED.some(([f, a]) => f === from && a === action)).map(
    (action): [ConversationStatus, ConversationAction] => [from, action],
  ),
);

describe('conversation state machine', () => {
  it('covers every status × action pair exactly once between the allowed and forbidden tables', () => {
    expect(ALLOWED.length + FORBIDDEN.length).toBe(CONVERSATION_STATUSES.length * ACTIONS.length);
    expect(FORBIDDEN).toEqual([
      ['queued', 'requeue'],
      ['assigned', 'assign'],
      ['closed', 'assign'],
      ['closed', 'requeue'],
      ['closed', 'transfer-to-queue'],
      ['closed', 'transfer-to-agent'],
      ['closed', 'close'],
    ]);
  });

  it.each(ALLOWED)('a %s conversation can %s and becomes %s', (from, action, to) => {
    expect(canTransition(from, action)).toBe(true);
    expect(transition(from, action)).toBe(to);
  });

  it.each(FORBIDDEN)('a %s conversation cannot %s', (from, action) => {
    expect(canTransition(from, action)).toBe(false);
    expect(() => transition(from, action)).toThrow(InvalidTransitionError);
  });

  it('explains a refusal in words, with the status and action it refused', () => {
    let caught: unknown;
    try {
      transition('closed', 'transfer-to-agent');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidTransitionError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({
      message: 'A closed conversation cannot transfer to agent',
      from: 'closed',
      action: 'transfer-to-agent',
    });
    expect(() => transition('assigned', 'assign')).toThrow('A assigned conversation cannot assign');
    expect(() => transition('queued', 'requeue')).toThrow('A queued conversation cannot requeue');
  });

  it('treats closed as final: a closed conversation cannot be reopened by any action', () => {
    for (const action of ACTIONS) expect(canTransition('closed', action)).toBe(false);
  });
});
