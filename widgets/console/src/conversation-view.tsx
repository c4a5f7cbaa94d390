import { useEffect, useRef, useState } from 'preact/hooks';
import type { AttachmentView, MessageView } from '../../../src/realtime/contracts/common.js';
import { api } from './api.js';
import type { AgentSocket, OpenConversation } from './workspace.js';
import { request } from './workspace.js';

interface CannedReply {
  id: string;
  shortcut: string;
  title: string;
  body: string;
}

export interface TransferTargets {
  queues: { id: string; name: string; slaTargetSeconds: number }[];
  agents: { id: string; displayName: string; availability: string; queueIds: string[] }[];
}

const DISPOSITIONS = ['Resolved', 'Follow-up needed', 'No response', 'Duplicate', 'Other'];

export function Attachments({ items }: { items: AttachmentView[] }) {
  return (
    <div class="attachments">
      {items.map((a) =>
        a.contentType.startsWith('image/') ? (
          <a key={a.id} href={a.url} target="_blank" rel="noreferrer">
            <img src={a.url} alt={a.fileName} loading="lazy" />
          </a>
        ) : (
          <a key={a.id} href={a.url} target="_blank" rel="noreferrer">
            Attachment: {a.fileName}
          </a>
        ),
      )}
    </div>
  );
}

/** The delivery mark of an agent message: ✓ stored, ✓✓ read by the customer, or the provider's state. */
function deliveryMark(open: OpenConversation, m: MessageView): string {
  const update = open.delivery[m.id];
  if (update) return update.status === 'failed' ? `failed: ${update.reason ?? ''}` : update.status;
  return m.seq <= open.conversation.customerReadSeq ? 'read' : 'sent';
}

export function MessageList({ messages, open }: { messages: MessageView[]; open?: OpenConversation }) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [messages.length]);
  return (
    <ol class="messages" aria-live="polite">
      {messages.map((m) => (
        <li key={m.id} class={`msg ${m.senderKind}${m.internal ? ' internal' : ''}`} data-seq={m.seq}>
          <div class="meta">
            {m.internal ? 'Internal note · ' : ''}
            {m.senderName ?? m.senderKind} · {new Date(m.createdAt).toLocaleTimeString()}
            {open && m.senderKind === 'agent' && !m.internal && (
              <span class="delivery"> · {deliveryMark(open, m)}</span>
            )}
          </div>
          {m.body && <div class="body">{m.body}</div>}
          {m.attachments.length > 0 && <Attachments items={m.attachments} />}
        </li>
      ))}
      <li ref={end} class="end" aria-hidden="true" />
    </ol>
  );
}

/** One conversation of this agent: messages, composer with notes and canned replies, transfer and close. */
export function ConversationView(props: {
  open: OpenConversation;
  socket: AgentSocket;
  targets: TransferTargets | null;
}) {
  const { open, socket } = props;
  const id = open.conversation.id;
  const [text, setText] = useState('');
  const [note, setNote] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [canned, setCanned] = useState<CannedReply[]>([]);
  const [pick, setPick] = useState(0);
  const [dialog, setDialog] = useState<'transfer' | 'close' | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const typingSince = useRef(0);
  const typingStop = useRef<number | undefined>(undefined);

  useEffect(() => {
    setText('');
    setError(null);
    setDialog(null);
    setFiles([]);
  }, [id]);

  useEffect(() => {
    if (!text.startsWith('/') || text.includes('\n')) return setCanned([]);
    const handle = setTimeout(() => {
      api<CannedReply[]>('GET', `/canned-replies?q=${encodeURIComponent(text.slice(1))}`)
        .then((r) => {
          setCanned(r);
          setPick(0);
        })
        .catch(() => setCanned([]));
    }, 120);
    return () => clearTimeout(handle);
  }, [text]);

  const typing = (isTyping: boolean) => {
    if (note) return;
    request(socket, 'typing', { conversationId: id, isTyping }).catch(() => undefined);
  };

  const onInput = (value: string) => {
    setText(value);
    if (Date.now() - typingSince.current > 2000) {
      typingSince.current = Date.now();
      typing(true);
    }
    clearTimeout(typingStop.current);
    typingStop.current = window.setTimeout(() => {
      typingSince.current = 0;
      typing(false);
    }, 2500);
  };

  const send = async () => {
    const body = text.trim();
    if (!body && files.length === 0) return;
    setError(null);
    try {
      const attachmentIds: string[] = [];
      for (const file of files) {
        const r = await api<{ attachment: { id: string } }>(
          'POST',
          `/conversations/${id}/attachments`,
          file,
          {
            'content-type': file.type || 'application/octet-stream',
            'x-file-name': encodeURIComponent(file.name),
          },
        );
        attachmentIds.push(r.attachment.id);
      }
      await request(socket, 'message:send', {
        conversationId: id,
        clientId: crypto.randomUUID(),
        body,
        internal: note,
        ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
      });
      setText('');
      setFiles([]);
      clearTimeout(typingStop.current);
      typingSince.current = 0;
      typing(false);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (canned.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setPick((pick + (event.key === 'ArrowDown' ? 1 : canned.length - 1)) % canned.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        setText(canned[pick].body);
        setCanned([]);
        return;
      }
      if (event.key === 'Escape') return setCanned([]);
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <section class="conversation" aria-label="Conversation">
      <header class="conv-head">
        <h2>{open.contact.displayName ?? 'Customer'}</h2>
        <div class="actions">
          <button onClick={() => setDialog(dialog === 'transfer' ? null : 'transfer')}>Transfer</button>
          <button onClick={() => setDialog(dialog === 'close' ? null : 'close')}>Close</button>
        </div>
      </header>
      {dialog === 'transfer' && <TransferForm {...props} onDone={() => setDialog(null)} />}
      {dialog === 'close' && <CloseForm {...props} onDone={() => setDialog(null)} />}
      <MessageList messages={open.messages} open={open} />
      {open.customerTyping && (
        <p class="typing" role="status">
          Customer is typing…
        </p>
      )}
      {canned.length > 0 && (
        <ul class="canned" role="listbox" aria-label="Canned replies">
          {canned.map((c, i) => (
            <li
              key={c.id}
              role="option"
              aria-selected={i === pick}
              class={i === pick ? 'picked' : ''}
              onMouseDown={() => setText(c.body)}
            >
              <b>/{c.shortcut}</b> {c.title}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class={`composer${note ? ' note' : ''}`}>
        <label class="toggle">
          <input
            type="checkbox"
            name="internal"
            checked={note}
            onChange={(e) => setNote((e.target as HTMLInputElement).checked)}
          />{' '}
          Internal note
        </label>
        <textarea
          name="reply"
          rows={2}
          value={text}
          placeholder={
            note
              ? 'Note for colleagues — the customer never sees it'
              : 'Reply… (Enter sends, Shift+Enter new line, / canned replies)'
          }
          onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)}
          onKeyDown={onKeyDown}
        />
        <label class="file">
          Attach
          <input
            type="file"
            name="files"
            multiple
            onChange={(e) => setFiles([...((e.target as HTMLInputElement).files ?? [])])}
          />
          {files.length > 0 && <span>{files.length}</span>}
        </label>
        <button onClick={() => void send()}>Send</button>
      </div>
    </section>
  );
}

function TransferForm(props: {
  open: OpenConversation;
  socket: AgentSocket;
  targets: TransferTargets | null;
  onDone: () => void;
}) {
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const [kind, targetId] = target.split(':');
    if (!targetId) return setError('Choose a queue or an agent');
    try {
      await request(props.socket, 'conversation:transfer', {
        conversationId: props.open.conversation.id,
        ...(kind === 'queue' ? { queueId: targetId } : { agentId: targetId }),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form class="dialog" onSubmit={(e) => void submit(e)} aria-label="Transfer">
      <select name="target" value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
        <option value="">Transfer to…</option>
        <optgroup label="Queues">
          {props.targets?.queues.map((q) => (
            <option key={q.id} value={`queue:${q.id}`}>
              {q.name}
            </option>
          ))}
        </optgroup>
        <optgroup label="Agents">
          {props.targets?.agents.map((a) => (
            <option key={a.id} value={`agent:${a.id}`}>
              {a.displayName} ({a.availability})
            </option>
          ))}
        </optgroup>
      </select>
      <input
        name="note"
        placeholder="Note for the next agent"
        value={note}
        onInput={(e) => setNote((e.target as HTMLInputElement).value)}
      />
      <button type="submit">Transfer</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function CloseForm(props: { open: OpenConversation; socket: AgentSocket; onDone: () => void }) {
  const [disposition, setDisposition] = useState(DISPOSITIONS[0]);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await request(props.socket, 'conversation:close', {
        conversationId: props.open.conversation.id,
        disposition,
      });
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form class="dialog" onSubmit={(e) => void submit(e)} aria-label="Close">
      <select
        name="disposition"
        value={disposition}
        onChange={(e) => setDisposition((e.target as HTMLSelectElement).value)}
      >
        {DISPOSITIONS.map((d) => (
          <option key={d}>{d}</option>
        ))}
      </select>
      <button type="submit">Close conversation</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
