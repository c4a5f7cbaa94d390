import { useEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import type {
  AgentClientEvents,
  AgentServerEvents,
  Assignment,
  DeliveryUpdate,
  Offer,
  WaitingConversation,
} from '../../../src/realtime/contracts/agent.events.js';
import type {
  Ack,
  Availability,
  ContactView,
  ConversationView,
  MessageView,
} from '../../../src/realtime/contracts/common.js';

export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

export interface OpenConversation {
  conversation: ConversationView;
  contact: ContactView;
  messages: MessageView[];
  customerTyping: boolean;
  /** Delivery state of agent messages on messaging networks, by message id. */
  delivery: Record<string, DeliveryUpdate>;
}

export interface WorkspaceState {
  connection: 'connecting' | 'online' | 'reconnecting' | 'refused';
  agent: { id: string; displayName: string; role: string } | null;
  availability: Availability;
  conversations: Record<string, OpenConversation>;
  /** Arrival order, oldest first. */
  order: string[];
  offers: Offer[];
  waiting: Record<string, WaitingConversation[]>;
  /** Conversations that left this console since it was opened (closed, transferred), to say so. */
  ended: Record<string, string>;
}

type Action =
  | { type: 'connection'; connection: WorkspaceState['connection'] }
  | {
      type: 'session';
      agent: WorkspaceState['agent'];
      availability: Availability;
      assignments: Assignment[];
      offers: Offer[];
    }
  | { type: 'assigned'; assignment: Assignment }
  | { type: 'synced'; conversation: ConversationView; messages: MessageView[] }
  | { type: 'removed'; conversationId: string; reason: string }
  | { type: 'message'; message: MessageView }
  | { type: 'delivery'; update: DeliveryUpdate }
  | { type: 'typing'; conversationId: string; isTyping: boolean }
  | { type: 'read'; conversationId: string; seq: number; by: 'customer' | 'agent' }
  | { type: 'availability'; availability: Availability }
  | { type: 'offer'; offer: Offer }
  | { type: 'offer-gone'; conversationId: string }
  | { type: 'waiting'; queueId: string; waiting: WaitingConversation[] }
  | { type: 'waiting-all'; waiting: WaitingConversation[] };

/** Adds messages by id (a resend or a resync may repeat one), kept in seq order. */
export function mergeMessages(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

const open = (a: Assignment, previous?: OpenConversation): OpenConversation => ({
  conversation: a.conversation,
  contact: a.contact,
  messages: mergeMessages(previous?.messages ?? [], a.messages),
  customerTyping: false,
  delivery: previous?.delivery ?? {},
});

function reduce(state: WorkspaceState, action: Action): WorkspaceState {
  switch (action.type) {
    case 'connection':
      return { ...state, connection: action.connection };
    case 'session': {
      // The session is the whole truth after a (re)connection: anything not in it was closed or taken.
      const conversations: Record<string, OpenConversation> = {};
      for (const a of action.assignments)
        conversations[a.conversation.id] = open(a, state.conversations[a.conversation.id]);
      const ended = { ...state.ended };
      for (const id of state.order)
        if (!conversations[id]) ended[id] = 'closed or reassigned while you were disconnected';
      return {
        ...state,
        connection: 'online',
        agent: action.agent,
        availability: action.availability,
        conversations,
        order: action.assignments.map((a) => a.conversation.id),
        offers: action.offers,
        ended,
      };
    }
    case 'assigned': {
      const id = action.assignment.conversation.id;
      const { [id]: _gone, ...ended } = state.ended;
      return {
        ...state,
        conversations: { ...state.conversations, [id]: open(action.assignment, state.conversations[id]) },
        order: state.order.includes(id) ? state.order : [...state.order, id],
        offers: state.offers.filter((o) => o.conversation.id !== id),
        ended,
      };
    }
    case 'synced': {
      const current = state.conversations[action.conversation.id];
      if (!current) return state;
      return {
        ...state,
        conversations: {
          ...state.conversations,
          [current.conversation.id]: {
            ...current,
            // Read marks only move forward, whatever order the answers come back in.
            conversation: {
              ...action.conversation,
              agentReadSeq: Math.max(action.conversation.agentReadSeq, current.conversation.agentReadSeq),
              customerReadSeq: Math.max(
                action.conversation.customerReadSeq,
                current.conversation.customerReadSeq,
              ),
            },
            messages: mergeMessages(current.messages, action.messages),
          },
        },
      };
    }
    case 'removed': {
      const { [action.conversationId]: _removed, ...conversations } = state.conversations;
      return {
        ...state,
        conversations,
        order: state.order.filter((id) => id !== action.conversationId),
        ended: { ...state.ended, [action.conversationId]: action.reason },
      };
    }
    case 'message':
      return patch(state, action.message.conversationId, (c) => ({
        ...c,
        messages: mergeMessages(c.messages, [action.message]),
        conversation: { ...c.conversation, lastSeq: Math.max(c.conversation.lastSeq, action.message.seq) },
        customerTyping: action.message.senderKind === 'customer' ? false : c.customerTyping,
      }));
    case 'delivery':
      return patch(state, action.update.conversationId, (c) => ({
        ...c,
        delivery: { ...c.delivery, [action.update.messageId]: action.update },
      }));
    case 'typing':
      return patch(state, action.conversationId, (c) => ({ ...c, customerTyping: action.isTyping }));
    case 'read':
      return patch(state, action.conversationId, (c) => ({
        ...c,
        conversation:
          action.by === 'customer'
            ? { ...c.conversation, customerReadSeq: Math.max(c.conversation.customerReadSeq, action.seq) }
            : { ...c.conversation, agentReadSeq: Math.max(c.conversation.agentReadSeq, action.seq) },
      }));
    case 'availability':
      return { ...state, availability: action.availability };
    case 'offer':
      return {
        ...state,
        offers: [
          ...state.offers.filter((o) => o.conversation.id !== action.offer.conversation.id),
          action.offer,
        ],
      };
    case 'offer-gone':
      return { ...state, offers: state.offers.filter((o) => o.conversation.id !== action.conversationId) };
    case 'waiting':
      return { ...state, waiting: { ...state.waiting, [action.queueId]: action.waiting } };
    case 'waiting-all': {
      const waiting: Record<string, WaitingConversation[]> = {};
      for (const w of action.waiting) (waiting[w.queueId] ??= []).push(w);
      return { ...state, waiting };
    }
  }
}

function patch(
  state: WorkspaceState,
  id: string,
  change: (c: OpenConversation) => OpenConversation,
): WorkspaceState {
  const current = state.conversations[id];
  return current ? { ...state, conversations: { ...state.conversations, [id]: change(current) } } : state;
}

const INITIAL: WorkspaceState = {
  connection: 'connecting',
  agent: null,
  availability: 'offline',
  conversations: {},
  order: [],
  offers: [],
  waiting: {},
  ended: {},
};

/** Sends a request event and resolves with its data, or rejects with the server's error message. */
export async function request<T>(
  socket: AgentSocket,
  event: keyof AgentClientEvents,
  payload: unknown,
): Promise<T> {
  // The typed emitWithAck wants each event's own payload type; callers pass the matching one.
  const untyped = socket.timeout(10_000) as unknown as {
    emitWithAck(e: string, p: unknown): Promise<Ack<T>>;
  };
  const ack = await untyped.emitWithAck(event, payload);
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.data;
}

/**
 * The `/agent` connection and everything it tells. After a reconnection the `session` event replaces
 * the local state, then each open conversation is synced from its last seen seq, so nothing stale stays.
 */
export function useWorkspace(token: string, onNew: (what: string) => void, onUnauthorized: () => void) {
  const [state, dispatch] = useReducer(reduce, INITIAL);
  const stateRef = useRef(state);
  stateRef.current = state;
  const onNewRef = useRef(onNew);
  onNewRef.current = onNew;

  const socket = useMemo<AgentSocket>(
    () =>
      io(`${location.origin}/agent`, {
        auth: { token },
        transports: ['websocket'],
        reconnectionDelayMax: 5000,
      }),
    [token],
  );

  useEffect(() => {
    socket.on('connect_error', (error) => {
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code === 'unauthorized') {
        dispatch({ type: 'connection', connection: 'refused' });
        onUnauthorized();
      } else dispatch({ type: 'connection', connection: 'reconnecting' });
    });
    socket.on('disconnect', () => dispatch({ type: 'connection', connection: 'reconnecting' }));
    socket.on('session', (data) => {
      const before = stateRef.current.conversations;
      dispatch({
        type: 'session',
        agent: data.agent,
        availability: data.availability,
        assignments: data.assignments,
        offers: data.offers,
      });
      for (const a of data.assignments) {
        const seen = before[a.conversation.id]?.conversation.lastSeq ?? 0;
        request<{ conversation: ConversationView; messages: MessageView[] }>(socket, 'sync', {
          conversationId: a.conversation.id,
          afterSeq: seen,
        })
          .then((r) => dispatch({ type: 'synced', ...r }))
          .catch(() => undefined);
      }
      request<{ waiting: WaitingConversation[] }>(socket, 'queue:list', {})
        .then((r) => dispatch({ type: 'waiting-all', waiting: r.waiting }))
        .catch(() => undefined);
      if (data.offers.length > 0) onNewRef.current('offer');
    });
    socket.on('conversation:assigned', (assignment) => {
      dispatch({ type: 'assigned', assignment });
      onNewRef.current('assignment');
    });
    socket.on('conversation:removed', ({ conversationId, reason }) =>
      dispatch({ type: 'removed', conversationId, reason }),
    );
    socket.on('conversation:closed', ({ conversationId }) =>
      dispatch({ type: 'removed', conversationId, reason: 'closed' }),
    );
    socket.on('message', (message) => {
      dispatch({ type: 'message', message });
      if (message.senderKind === 'customer') onNewRef.current('message');
    });
    socket.on('message:delivery', (update) => dispatch({ type: 'delivery', update }));
    socket.on('typing', ({ conversationId, isTyping }) =>
      dispatch({ type: 'typing', conversationId, isTyping }),
    );
    socket.on('read', ({ conversationId, seq, by }) => dispatch({ type: 'read', conversationId, seq, by }));
    socket.on('availability', ({ availability }) => dispatch({ type: 'availability', availability }));
    socket.on('offer', (offer) => {
      dispatch({ type: 'offer', offer });
      onNewRef.current('offer');
    });
    socket.on('offer:withdrawn', ({ conversationId }) => dispatch({ type: 'offer-gone', conversationId }));
    socket.on('offer:expired', ({ conversationId }) => dispatch({ type: 'offer-gone', conversationId }));
    socket.on('queue:waiting', ({ queueId, waiting }) => dispatch({ type: 'waiting', queueId, waiting }));
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [socket]);

  return { state, socket, dispatch };
}
