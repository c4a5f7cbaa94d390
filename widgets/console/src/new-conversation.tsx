import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';

/** A channel account the agent may write from (GET /workspace/channel-accounts). */
export interface StartableAccount {
  id: string;
  network: string;
  name: string;
  handleHint: string;
}

interface Started {
  conversationId: string;
}

/**
 * "New conversation": an account, the customer's handle on it and a first message, sent as
 * POST /conversations/outbound. The conversation arrives assigned to this agent over the socket;
 * `onStarted` opens it. Esc or Cancel closes the form and returns focus to the button.
 */
export function NewConversation({ onStarted }: { onStarted: (conversationId: string) => void }) {
  const [expanded, setExpanded] = useState(false);
  const [accounts, setAccounts] = useState<StartableAccount[] | null>(null);
  const [accountId, setAccountId] = useState('');
  const [to, setTo] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLSelectElement>(null);
  // One idempotency key per attempt, kept across a retry of the same message after a network error.
  const clientId = useRef<string | null>(null);

  useEffect(() => {
    if (!expanded) return;
    setError(null);
    api<StartableAccount[]>('GET', '/workspace/channel-accounts').then(
      (list) => {
        setAccounts(list);
        setAccountId((current) => (list.some((a) => a.id === current) ? current : (list[0]?.id ?? '')));
      },
      (e: Error) => setError(`Cannot load channel accounts: ${e.message}`),
    );
  }, [expanded]);
  useEffect(() => {
    if (expanded && accounts) first.current?.focus();
  }, [expanded, accounts !== null]);

  // The button is rendered again only after the form goes: focus it then.
  const refocus = useRef(false);
  useEffect(() => {
    if (!expanded && refocus.current) {
      refocus.current = false;
      toggle.current?.focus();
    }
  }, [expanded]);
  const close = () => {
    refocus.current = true;
    setExpanded(false);
    setError(null);
  };
  const account = accounts?.find((a) => a.id === accountId);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!account) return setError('Choose a channel account');
    if (!to.trim()) return setError("Enter the customer's handle");
    if (!body.trim()) return setError('Write a first message');
    clientId.current ??= `out-${crypto.randomUUID()}`;
    setBusy(true);
    try {
      const started = await api<Started>('POST', '/conversations/outbound', {
        accountId: account.id,
        to: to.trim(),
        body: body.trim(),
        clientId: clientId.current,
      });
      clientId.current = null;
      setTo('');
      setBody('');
      setError(null);
      setExpanded(false);
      onStarted(started.conversationId);
    } catch (e) {
      // Refused by the server (capacity, handle, window): a corrected attempt is a new message. Without
      // an answer the same key is sent again, so a retry cannot start the conversation twice.
      if (e instanceof ApiError) clientId.current = null;
      setError(e instanceof ApiError ? e.message : `Not sent: ${(e as Error).message}. Try again.`);
    } finally {
      setBusy(false);
    }
  };

  if (!expanded)
    return (
      <button ref={toggle} class="new-conversation" aria-expanded="false" onClick={() => setExpanded(true)}>
        New conversation
      </button>
    );
  return (
    <form
      class="dialog new-conversation-form"
      aria-label="New conversation"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      }}
    >
      <h3>New conversation</h3>
      {accounts?.length === 0 ? (
        <p class="hint">No messaging account is enabled. An admin adds them under channel accounts.</p>
      ) : (
        <>
          <label>
            Account
            <select
              ref={first}
              name="accountId"
              value={accountId}
              onChange={(e) => setAccountId((e.target as HTMLSelectElement).value)}
            >
              {accounts?.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.network})
                </option>
              ))}
            </select>
          </label>
          <label>
            Customer handle
            <input
              name="to"
              required
              maxLength={200}
              autoComplete="off"
              aria-describedby="new-conversation-hint"
              value={to}
              onInput={(e) => setTo((e.target as HTMLInputElement).value)}
            />
          </label>
          <small id="new-conversation-hint" class="hint">
            {account?.handleHint ?? ''}
          </small>
          <label>
            First message
            <textarea
              name="body"
              required
              rows={3}
              value={body}
              onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  (e.currentTarget.form as HTMLFormElement).requestSubmit();
                }
              }}
            />
          </label>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy || !account}>
          {busy ? 'Starting…' : 'Start'}
        </button>
        <button type="button" class="secondary" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
