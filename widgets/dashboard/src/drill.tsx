import { useEffect, useRef, useState } from 'preact/hooks';
import type { ContactView, ConversationView, MessageView } from '../../../src/realtime/contracts/common.js';
import { api } from './api.js';
import type { Feed } from './live.js';

interface Transcript {
  conversation: ConversationView;
  contact: ContactView;
  messages: MessageView[];
  events: {
    type: string;
    agentId: string | null;
    queueId: string | null;
    data: Record<string, unknown>;
    createdAt: string;
  }[];
}

/**
 * One conversation, read-only and live, with the supervisor's reassign and close: the feed pushes each
 * change of the watched conversation and the transcript is read again (one read at a time, the last
 * change always followed by one).
 */
export function Drill({
  id,
  feed,
  queues,
  agents,
}: {
  id: string;
  feed: Feed;
  queues: { id: string; name: string }[];
  agents: { id: string; displayName: string }[];
}) {
  const [data, setData] = useState<Transcript | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState('');
  const [disposition, setDisposition] = useState('Closed by supervisor');
  const [notice, setNotice] = useState<string | null>(null);

  const reading = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });
  const read = () =>
    api<Transcript>('GET', `/conversations/${id}/transcript`).then(
      (t) => {
        setData(t);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  const load = async (): Promise<void> => {
    const state = reading.current;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      do {
        state.again = false;
        await read();
      } while (state.again);
    } finally {
      state.running = false;
    }
  };
  const socket = feed.socket;
  useEffect(() => {
    setData(null);
    if (!socket) return;
    // Rooms do not survive a reconnect: watch again, then read what was missed meanwhile.
    const watch = () =>
      socket.emit('conversation:watch', { conversationId: id }, (ack) => {
        if (!ack.ok) setError(ack.error.message);
        else void load();
      });
    const changed = (change: { conversationId: string }) => {
      if (change.conversationId === id) void load();
    };
    socket.on('conversation:changed', changed);
    socket.on('connect', watch);
    if (socket.connected) watch();
    else void load();
    return () => {
      socket.off('conversation:changed', changed);
      socket.off('connect', watch);
      if (socket.connected) socket.emit('conversation:unwatch', { conversationId: id });
    };
  }, [id, socket]);

  const act = async (path: string, body: unknown, done: string) => {
    try {
      await api('POST', `/supervision/conversations/${id}/${path}`, body);
      setNotice(done);
      await load();
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  if (error && !data)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p class="hint">Loading…</p>;
  const c = data.conversation;
  const live = feed.connected ? 'Live' : 'Reconnecting…';
  const agentName = (agentId: string | null) => agents.find((a) => a.id === agentId)?.displayName ?? '—';
  return (
    <div class="drill">
      <header>
        <h2>
          {data.contact.displayName ?? 'Customer'} · <span class={`status ${c.status}`}>{c.status}</span>
        </h2>
        <p class="hint">
          Queue {queues.find((q) => q.id === c.queueId)?.name ?? c.queueId} · agent {agentName(c.agentId)} ·{' '}
          {c.channel} · <span class={`feed ${feed.connected ? 'on' : 'off'}`}>{live}</span>
        </p>
      </header>
      {c.status !== 'closed' && (
        <div class="toolbar">
          <select
            aria-label="Reassign to"
            value={target}
            onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}
          >
            <option value="">Reassign to…</option>
            <optgroup label="Agents">
              {agents.map((a) => (
                <option key={a.id} value={`agent:${a.id}`}>
                  {a.displayName}
                </option>
              ))}
            </optgroup>
            <optgroup label="Queues">
              {queues.map((q) => (
                <option key={q.id} value={`queue:${q.id}`}>
                  {q.name}
                </option>
              ))}
            </optgroup>
          </select>
          <button
            disabled={!target}
            onClick={() => {
              const [kind, targetId] = target.split(':');
              void act(
                'reassign',
                kind === 'agent' ? { agentId: targetId } : { queueId: targetId },
                'Reassigned',
              );
            }}
          >
            Reassign
          </button>
          <input
            aria-label="Disposition"
            value={disposition}
            onInput={(e) => setDisposition((e.target as HTMLInputElement).value)}
          />
          <button class="danger" onClick={() => void act('close', { disposition }, 'Closed')}>
            Close
          </button>
          {notice && <span role="status">{notice}</span>}
        </div>
      )}
      <div class="drill-body">
        <ol class="messages">
          {data.messages.map((m) => (
            <li key={m.id} class={`msg ${m.senderKind}${m.internal ? ' internal' : ''}`}>
              <small>
                {m.internal ? 'Internal note · ' : ''}
                {m.senderName ?? m.senderKind} · {new Date(m.createdAt).toLocaleTimeString()}
              </small>
              <div>{m.body}</div>
              {m.attachments.map((a) =>
                a.contentType.startsWith('image/') ? (
                  <img key={a.id} src={a.url} alt={a.fileName} class="photo" />
                ) : (
                  <a key={a.id} href={a.url}>
                    Attachment: {a.fileName}
                  </a>
                ),
              )}
            </li>
          ))}
        </ol>
        <aside>
          <h3>Details</h3>
          <dl>
            {Object.entries(c.attributes).map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
          <h3>History</h3>
          <ol class="events">
            {data.events.map((e, i) => (
              <li key={i}>
                {new Date(e.createdAt).toLocaleTimeString()} {e.type}
                {e.agentId ? ` · ${agentName(e.agentId)}` : ''}
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </div>
  );
}
