import { useEffect, useState } from 'preact/hooks';
import type { ContactView, ConversationView, MessageView } from '../../../src/realtime/contracts/common.js';
import { api } from './api.js';
import { ChannelIcon } from './channel-icon.js';
import { Attachments } from './conversation-view.js';

interface PastConversation extends ConversationView {
  messages: MessageView[];
}

/** Who the customer is, their attributes (editable), and every earlier conversation on any channel. */
export function CustomerPanel(props: {
  contact: ContactView;
  conversation: ConversationView;
  editable: boolean;
  onAttributes: (conversation: ConversationView) => void;
}) {
  const { contact, conversation } = props;
  const [history, setHistory] = useState<PastConversation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>(conversation.attributes);
  const [newKey, setNewKey] = useState('');
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(
    () => setDraft(conversation.attributes),
    [conversation.id, JSON.stringify(conversation.attributes)],
  );
  useEffect(() => {
    setHistory(null);
    api<{ conversations: PastConversation[] }>('GET', `/contacts/${contact.id}/conversations?pageSize=50`)
      .then((r) => setHistory(r.conversations.filter((c) => c.id !== conversation.id)))
      .catch((e: Error) => setError(e.message));
  }, [contact.id, conversation.id]);

  const save = async (event: Event) => {
    event.preventDefault();
    const changes: Record<string, string> = {};
    for (const key of new Set([...Object.keys(draft), ...Object.keys(conversation.attributes)])) {
      if ((draft[key] ?? '') !== (conversation.attributes[key] ?? '')) changes[key] = draft[key] ?? '';
    }
    if (newKey.trim()) changes[newKey.trim()] = draft[newKey.trim()] ?? '';
    if (Object.keys(changes).length === 0) return;
    try {
      props.onAttributes(
        await api<ConversationView>('PATCH', `/conversations/${conversation.id}/attributes`, {
          attributes: changes,
        }),
      );
      setNewKey('');
      setSaved('Saved');
    } catch (e) {
      setSaved((e as Error).message);
    }
  };

  return (
    <aside class="panel" aria-label="Customer">
      <h2>{contact.displayName ?? 'Customer'}</h2>
      <dl class="identity">
        {contact.email && (
          <>
            <dt>Email</dt>
            <dd>{contact.email}</dd>
          </>
        )}
        {contact.phone && (
          <>
            <dt>Phone</dt>
            <dd>{contact.phone}</dd>
          </>
        )}
        {contact.identities.map((i) => (
          <>
            <dt>
              <ChannelIcon channel={i.channel} /> {i.channel}
            </dt>
            <dd>{i.externalId}</dd>
          </>
        ))}
      </dl>
      <h3>Details</h3>
      <form class="attributes" onSubmit={(e) => void save(e)}>
        {Object.keys(draft).map((key) => (
          <label key={key}>
            <span>{key}</span>
            <input
              name={`attr-${key}`}
              value={draft[key]}
              disabled={!props.editable}
              onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
        {props.editable && (
          <>
            <label>
              <span>New field</span>
              <input
                name="attr-new-key"
                placeholder="name"
                value={newKey}
                onInput={(e) => setNewKey((e.target as HTMLInputElement).value)}
              />
            </label>
            {newKey.trim() && (
              <input
                name="attr-new-value"
                placeholder="value"
                value={draft[newKey.trim()] ?? ''}
                onInput={(e) => setDraft({ ...draft, [newKey.trim()]: (e.target as HTMLInputElement).value })}
              />
            )}
            <button type="submit">Save details</button>
            {saved && (
              <span class="hint" role="status">
                {saved}
              </span>
            )}
          </>
        )}
      </form>
      <h3>Previous conversations</h3>
      {error && <p class="error">{error}</p>}
      {!history && !error && <p class="hint">Loading…</p>}
      {history?.length === 0 && <p class="hint">None before this one.</p>}
      <ul class="history">
        {history?.map((c) => (
          <li key={c.id}>
            <button
              class="link"
              onClick={() => setExpanded(expanded === c.id ? null : c.id)}
              aria-expanded={expanded === c.id}
            >
              <ChannelIcon channel={c.channel} /> {new Date(c.createdAt).toLocaleString()} · {c.status}
              {c.disposition ? ` · ${c.disposition}` : ''}
            </button>
            {expanded === c.id && (
              <ol class="past-messages">
                {c.messages.map((m) => (
                  <li key={m.id} class={`msg ${m.senderKind}${m.internal ? ' internal' : ''}`}>
                    <b>{m.senderName ?? m.senderKind}</b> {m.body}
                    {m.attachments.length > 0 && <Attachments items={m.attachments} />}
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
