import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type {
  Availability,
  ContactView,
  ConversationView,
  MessageView,
} from '../../../src/realtime/contracts/common.js';
import { SignIn } from '../../shared/sign-in.js';
import { useNow } from '../../shared/use-now.js';
import { api, getToken, setToken, signIn } from './api.js';
import { ConversationView as Conversation, MessageList, type TransferTargets } from './conversation-view.js';
import { CustomerPanel } from './customer-panel.js';
import { NewConversation } from './new-conversation.js';
import { ChannelIcon } from './channel-icon.js';
import { chime, formatDuration, setTitleBadge } from './notify.js';
import { request, useWorkspace, type OpenConversation, type WorkspaceState } from './workspace.js';
import './styles.css';

const BASE = '/console/';

/** The conversation id in the address (`/console/conversations/<id>`), so a link or a reload opens it. */
const routeId = (): string | null =>
  /^\/console\/conversations\/([0-9a-f-]{36})/.exec(location.pathname)?.[1] ?? null;

/** Waiting time: since the customer's last message that no agent message answered yet. */
function waitingSince(open: OpenConversation): number | null {
  for (let i = open.messages.length - 1; i >= 0; i--) {
    const m = open.messages[i];
    if (m.internal || m.senderKind === 'system') continue;
    return m.senderKind === 'customer' ? Date.parse(m.createdAt) : null;
  }
  return null;
}

function slaState(
  waitedMs: number | null,
  targetSeconds: number | undefined,
): 'ok' | 'warn' | 'breached' | 'none' {
  if (waitedMs === null || !targetSeconds) return 'none';
  if (waitedMs >= targetSeconds * 1000) return 'breached';
  return waitedMs >= targetSeconds * 500 ? 'warn' : 'ok';
}

const unread = (open: OpenConversation): number =>
  open.messages.filter((m) => m.senderKind === 'customer' && m.seq > open.conversation.agentReadSeq).length;

function Offers({
  state,
  onAnswer,
}: {
  state: WorkspaceState;
  onAnswer: (id: string, accept: boolean) => void;
}) {
  const now = useNow(500);
  if (state.offers.length === 0) return null;
  return (
    <section class="offers" aria-label="Offers">
      {state.offers.map((o) => (
        <div key={o.conversation.id} class="offer" role="alert">
          <div>
            <ChannelIcon channel={o.conversation.channel} /> <b>{o.contact.displayName ?? 'New customer'}</b>{' '}
            — offered to you
            <span class="countdown">
              {' '}
              {Math.max(0, Math.floor((Date.parse(o.expiresAt) - now) / 1000))} s
            </span>
          </div>
          <button onClick={() => onAnswer(o.conversation.id, true)}>Accept</button>
          <button class="secondary" onClick={() => onAnswer(o.conversation.id, false)}>
            Decline
          </button>
        </div>
      ))}
    </section>
  );
}

interface Transcript {
  conversation: ConversationView;
  contact: ContactView;
  messages: MessageView[];
}

/** A conversation that is not (or no longer) this agent's, read-only from the transcript API. */
function ReadOnly({ id }: { id: string }) {
  const [data, setData] = useState<Transcript | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    setError(null);
    api<Transcript>('GET', `/conversations/${id}/transcript`).then(setData, (e: Error) =>
      setError(e.message),
    );
  }, [id]);
  if (error)
    return (
      <section class="conversation">
        <p class="error refused" role="alert">
          You cannot open this conversation: {error}
        </p>
      </section>
    );
  if (!data)
    return (
      <section class="conversation">
        <p class="hint">Loading…</p>
      </section>
    );
  return (
    <section class="conversation" aria-label="Transcript">
      <header class="conv-head">
        <h2>
          {data.contact.displayName ?? 'Customer'} · {data.conversation.status}
        </h2>
      </header>
      <MessageList messages={data.messages} />
    </section>
  );
}

function Search({ onOpen }: { onOpen: (id: string) => void }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<
    { conversationId: string; messageId: string; snippet: string; createdAt: string }[] | null
  >(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!q.trim()) return;
    try {
      setHits(await api('GET', `/transcripts/search?q=${encodeURIComponent(q.trim())}`));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="search" aria-label="Search transcripts">
      <form onSubmit={(e) => void submit(e)}>
        <input
          name="search"
          type="search"
          placeholder="Search transcripts"
          value={q}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        />
      </form>
      {error && <p class="error">{error}</p>}
      {hits?.length === 0 && <p class="hint">No matches.</p>}
      <ul class="hits">
        {hits?.map((h) => (
          <li key={h.messageId}>
            <button class="link" onClick={() => onOpen(h.conversationId)}>
              {h.snippet}
            </button>{' '}
            <small>{new Date(h.createdAt).toLocaleDateString()}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Workspace({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const [selected, setSelected] = useState<string | null>(routeId());
  const [targets, setTargets] = useState<TransferTargets | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const [pane, setPane] = useState<'list' | 'conversation' | 'customer'>(routeId() ? 'conversation' : 'list');
  const { state, socket, dispatch } = useWorkspace(token, () => chime(), onSignOut);
  const now = useNow();

  useEffect(() => {
    api<TransferTargets>('GET', '/workspace/transfer-targets').then(setTargets, () => undefined);
  }, []);
  useEffect(() => {
    const onPop = () => setSelected(routeId());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const open = (id: string | null) => {
    setSelected(id);
    setPane(id ? 'conversation' : 'list');
    history.pushState(null, '', id ? `${BASE}conversations/${id}` : BASE);
  };

  const current = selected ? state.conversations[selected] : undefined;
  // Reading a conversation on screen marks it read for the customer.
  useEffect(() => {
    if (!current || document.hidden) return;
    const last = current.messages.filter((m) => m.senderKind === 'customer').at(-1)?.seq ?? 0;
    if (last > current.conversation.agentReadSeq) {
      dispatch({ type: 'read', conversationId: current.conversation.id, seq: last, by: 'agent' });
      request(socket, 'message:read', { conversationId: current.conversation.id, seq: last }).catch(
        () => undefined,
      );
    }
  }, [current?.messages.length, selected]);

  const unreadTotal = state.order.reduce(
    (n, id) => n + (state.conversations[id] ? unread(state.conversations[id]) : 0),
    0,
  );
  const waitingTotal = Object.values(state.waiting).reduce((n, w) => n + w.length, 0);
  const badge = state.offers.length + unreadTotal;
  useEffect(() => setTitleBadge(badge), [badge]);

  const setAvailability = (availability: Availability) => {
    request(socket, 'availability:set', { availability }).catch(() => undefined);
  };
  const answer = (conversationId: string, accept: boolean) => {
    request(socket, accept ? 'offer:accept' : 'offer:decline', { conversationId })
      .then(() => {
        dispatch({ type: 'offer-gone', conversationId });
        if (accept) open(conversationId);
      })
      .catch(() => dispatch({ type: 'offer-gone', conversationId }));
  };
  const slaOf = (queueId: string) => targets?.queues.find((q) => q.id === queueId)?.slaTargetSeconds;

  return (
    <div class={`workspace pane-${pane}`}>
      <header class="top">
        <b>Switchboard</b>
        <span class="who">{state.agent?.displayName}</span>
        <select
          name="availability"
          aria-label="Availability"
          class={`availability ${state.availability}`}
          value={state.availability}
          onChange={(e) => setAvailability((e.target as HTMLSelectElement).value as Availability)}
        >
          <option value="available">Available</option>
          <option value="away">Away</option>
          <option value="offline">Offline</option>
        </select>
        <span class={`connection ${state.connection}`} role="status">
          {state.connection === 'online' ? '' : state.connection}
        </span>
        {badge > 0 && (
          <span class="badge" aria-label="Waiting for you">
            {badge}
          </span>
        )}
        <button class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="tabs">
        <button onClick={() => setPane('list')}>Conversations{badge > 0 ? ` (${badge})` : ''}</button>
        <button onClick={() => setPane('conversation')} disabled={!selected}>
          Chat
        </button>
        <button onClick={() => setPane('customer')} disabled={!current}>
          Customer
        </button>
      </nav>
      <aside class="sidebar">
        <Offers state={state} onAnswer={answer} />
        <NewConversation onStarted={open} />
        <h2>My conversations</h2>
        {state.order.length === 0 && (
          <p class="hint">
            None yet.{' '}
            {state.availability !== 'available'
              ? 'Go available to receive chats.'
              : 'Waiting for the next chat.'}
          </p>
        )}
        <ul class="conversations">
          {state.order.map((id) => {
            const c = state.conversations[id];
            const since = waitingSince(c);
            const waited = since === null ? null : now - since;
            const count = unread(c);
            return (
              <li key={id} class={id === selected ? 'selected' : ''}>
                <button class="item" onClick={() => open(id)}>
                  <ChannelIcon channel={c.conversation.channel} />
                  <span class="name">{c.contact.displayName ?? 'Customer'}</span>
                  {count > 0 && (
                    <span class="unread" aria-label="unread">
                      {count}
                    </span>
                  )}
                  <span class={`sla ${slaState(waited, slaOf(c.conversation.queueId))}`}>
                    {waited === null ? 'answered' : formatDuration(waited)}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        {Object.entries(state.ended)
          .filter(([id]) => id === selected)
          .map(([id, reason]) => (
            <p key={id} class="hint">
              This conversation left your list: {reason}.
            </p>
          ))}
        {waitingTotal > 0 && (
          <>
            <h2>Waiting to be picked</h2>
            {pickError && (
              <p class="error" role="alert">
                {pickError}
              </p>
            )}
            <ul class="waiting">
              {Object.values(state.waiting)
                .flat()
                .map((w) => (
                  <li key={w.id}>
                    <ChannelIcon channel={w.channel} /> {w.contactName ?? 'Customer'} ·{' '}
                    {formatDuration(now - Date.parse(w.enqueuedAt))}
                    <button
                      onClick={() =>
                        void request(socket, 'conversation:pick', { conversationId: w.id }).then(
                          () => {
                            setPickError(null);
                            open(w.id);
                          },
                          (e: Error) => setPickError(e.message),
                        )
                      }
                    >
                      Take
                    </button>
                  </li>
                ))}
            </ul>
          </>
        )}
        <Search onOpen={open} />
      </aside>
      <main class="main">
        {current ? (
          <Conversation open={current} socket={socket} targets={targets} />
        ) : selected ? (
          <ReadOnly id={selected} />
        ) : (
          <p class="hint empty">Choose a conversation.</p>
        )}
      </main>
      {current && (
        <CustomerPanel
          contact={current.contact}
          conversation={current.conversation}
          editable
          onAttributes={(conversation) => dispatch({ type: 'synced', conversation, messages: [] })}
        />
      )}
    </div>
  );
}

function App() {
  const [token, setTokenState] = useState(getToken());
  const signOut = () => {
    setToken(null);
    setTokenState(null);
  };
  return token ? (
    <Workspace token={token} onSignOut={signOut} />
  ) : (
    <SignIn title="Switchboard" signIn={signIn} onSignedIn={() => setTokenState(getToken())} />
  );
}

render(<App />, document.getElementById('app')!);
