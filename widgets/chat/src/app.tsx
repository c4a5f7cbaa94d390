import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageView } from '../../../src/realtime/contracts/common.js';
import type {
  PrechatField,
  WidgetConfig,
  WidgetLocale,
} from '../../../src/realtime/contracts/widget-config.js';
import type { ChatClient, ChatState } from './chat-client.js';
import { FieldsForm, RatingForm } from './forms.js';
import type { Translate } from './i18n.js';

interface AppProps {
  client: ChatClient;
  config: WidgetConfig;
  locale: WidgetLocale;
  t: Translate;
  /** Text for the ARIA live region (new messages), set by the widget's bootstrap. */
  announcement: { text: string; n: number };
  onOpenChange: (open: boolean) => void;
}

const OFFLINE_FIELDS = (t: Translate): PrechatField[] => [
  { name: 'name', label: t('name'), type: 'text', required: true, maxLength: 80 },
  { name: 'email', label: t('email'), type: 'email', required: true, maxLength: 200 },
  { name: 'message', label: t('message'), type: 'textarea', required: true, maxLength: 4000 },
];

export function App({ client, config, locale, t, announcement, onOpenChange }: AppProps) {
  const [state, setState] = useState<ChatState>(client.state);
  useEffect(() => client.subscribe(setState), [client]);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);

  const shownStage = useRef(state.stage);
  useEffect(() => {
    onOpenChange(state.open);
    const stageChanged = shownStage.current !== state.stage;
    shownStage.current = state.stage;
    if (state.open && (!wasOpen.current || stageChanged)) {
      // Focus the first thing to fill in, else the panel's first control.
      requestAnimationFrame(() => {
        const panel = panelRef.current;
        const target =
          panel?.querySelector<HTMLElement>(
            '.body input, .body select, .body textarea, .composer textarea',
          ) ?? panel?.querySelector<HTMLElement>('button');
        target?.focus();
      });
    }
    if (!state.open && wasOpen.current) launcherRef.current?.focus();
    wasOpen.current = state.open;
  }, [state.open, state.stage]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      client.setOpen(false);
      return;
    }
    if (event.key !== 'Tab') return;
    // Keep Tab inside the open panel; Esc or the close button leaves it.
    const focusable = [
      ...(panelRef.current?.querySelectorAll<HTMLElement>(
        'button, a[href], input, select, textarea, summary',
      ) ?? []),
    ].filter((el) => !(el as HTMLButtonElement).disabled && el.offsetParent !== null);
    if (focusable.length === 0) return;
    const root = panelRef.current?.getRootNode() as ShadowRoot;
    const active = root.activeElement;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const title = config.appearance.title;
  const agent = state.conversation?.agent?.displayName;
  return (
    <>
      <div class="sr-only" aria-live="polite" aria-atomic="true" data-testid="live-region">
        {announcement.text}
      </div>
      <div
        class="panel"
        hidden={!state.open}
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby="sb-title"
        onKeyDown={onKeyDown}
        lang={locale}
      >
        <div class="header">
          <h2 id="sb-title">
            {title}
            {agent ? <span class="agent">{agent}</span> : null}
          </h2>
          <button
            type="button"
            class="icon-btn"
            aria-label={t('close')}
            onClick={() => client.setOpen(false)}
          >
            ✕
          </button>
        </div>
        {!state.online ? (
          <p class="status" role="status">
            {t('offlineBanner')}
          </p>
        ) : !state.connected && state.stage !== 'loading' ? (
          <p class="status" role="status">
            {t('reconnecting')}
          </p>
        ) : null}
        {state.banner ? (
          <p class="banner" role="alert">
            {state.banner}
          </p>
        ) : null}
        <Stage state={state} client={client} config={config} locale={locale} t={t} />
      </div>
      <button
        type="button"
        class="launcher"
        hidden={state.open}
        ref={launcherRef}
        aria-haspopup="dialog"
        aria-expanded={state.open ? 'true' : 'false'}
        onClick={() => client.setOpen(true)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
        </svg>
        {config.appearance.launcherLabel ?? t('launcher')}
      </button>
    </>
  );
}

interface StageProps {
  state: ChatState;
  client: ChatClient;
  config: WidgetConfig;
  locale: WidgetLocale;
  t: Translate;
}

function Stage({ state, client, config, locale, t }: StageProps) {
  const greeting = config.greeting[locale] ?? config.greeting.en ?? config.greeting.es ?? null;
  switch (state.stage) {
    case 'loading':
    case 'unavailable':
      return (
        <div class="body">{state.stage === 'loading' ? <p class="notice">{t('loading')}</p> : null}</div>
      );
    case 'prechat':
      return (
        <div class="body">
          {greeting ? <p class="greeting">{greeting}</p> : null}
          <History state={state} client={client} locale={locale} t={t} />
          <FieldsForm
            idPrefix="sb-prechat"
            fields={config.prechatFields}
            initial={client.attributes}
            submitLabel={t('start')}
            serverError={state.prechatError}
            disabled={!state.connected}
            t={t}
            onSubmit={async (answers) => {
              await client.start(answers);
            }}
          />
        </div>
      );
    case 'offline-form':
      return <OfflineForm state={state} client={client} locale={locale} t={t} />;
    case 'chat':
      return <Chat state={state} client={client} greeting={greeting} locale={locale} t={t} />;
  }
}

function OfflineForm({
  state,
  client,
  locale,
  t,
}: {
  state: ChatState;
  client: ChatClient;
  locale: WidgetLocale;
  t: Translate;
}) {
  const [error, setError] = useState<string | null>(null);
  const status = state.queueStatus;
  const when = status?.nextOpeningAt
    ? new Intl.DateTimeFormat(locale, { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(
        new Date(status.nextOpeningAt),
      )
    : null;
  return (
    <div class="body">
      <p class="greeting" role="status">
        <strong>{status?.reason === 'closed' ? t('closedTitle') : t('noAgentsTitle')}</strong>
        {when ? ` ${t('opensAt', { when })}` : ''} {t('offlineIntro')}
      </p>
      <FieldsForm
        idPrefix="sb-offline"
        fields={OFFLINE_FIELDS(t)}
        initial={{ name: client.attributes.name ?? '', email: client.attributes.email ?? '' }}
        submitLabel={t('leaveMessage')}
        serverError={error}
        disabled={!state.connected}
        t={t}
        onSubmit={async (answers) => {
          setError(
            await client.leaveMessage({ name: answers.name, email: answers.email, message: answers.message }),
          );
        }}
      />
    </div>
  );
}

function History({
  state,
  client,
  locale,
  t,
}: {
  state: ChatState;
  client: ChatClient;
  locale: WidgetLocale;
  t: Translate;
}) {
  if (!state.history) return null;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  return (
    <details class="history" data-testid="history">
      <summary>{t('history')}</summary>
      {state.history.conversations.length === 0 ? (
        <p>{t('historyEmpty')}</p>
      ) : (
        <ol>
          {state.history.conversations.map((c) => (
            <li key={c.id}>
              {date.format(new Date(c.createdAt))}
              {c.messages.slice(0, 3).map((m) => (
                <div key={m.id}>
                  {m.senderKind === 'customer' ? t('you') : (m.senderName ?? t('system'))}: {m.body}
                </div>
              ))}
            </li>
          ))}
        </ol>
      )}
      {state.history.nextBefore ? (
        <button type="button" class="link-btn" onClick={() => void client.loadHistory()}>
          {t('loadMore')}
        </button>
      ) : null}
    </details>
  );
}

function Chat({
  state,
  client,
  greeting,
  locale,
  t,
}: {
  state: ChatState;
  client: ChatClient;
  greeting: string | null;
  locale: WidgetLocale;
  t: Translate;
}) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const conversation = state.conversation;
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
  const pending = state.outbox.filter(
    (e) =>
      e.conversationId === conversation?.id &&
      !state.messages.some((m) => m.clientId === e.clientId && m.senderKind === 'customer'),
  );
  const items: { at: string; seq: number; node: preact.JSX.Element }[] = [
    ...state.messages.map((m) => ({
      at: m.createdAt,
      seq: m.seq,
      node: <Message key={m.id} message={m} state={state} time={time} t={t} base={client.base} />,
    })),
    ...state.notices.map((n) => ({
      at: n.at,
      seq: Number.MAX_SAFE_INTEGER,
      node: (
        <p class="notice" key={n.id}>
          {n.text}
        </p>
      ),
    })),
  ].sort((a, b) => (a.at === b.at ? a.seq - b.seq : a.at < b.at ? -1 : 1));

  useEffect(() => {
    const body = bodyRef.current;
    if (body) body.scrollTop = body.scrollHeight;
  }, [state.messages.length, state.notices.length, pending.length, state.agentTyping]);

  const closed = conversation?.status === 'closed';
  return (
    <>
      <div class="body" ref={bodyRef} data-testid="messages">
        {greeting ? <p class="greeting">{greeting}</p> : null}
        <History state={state} client={client} locale={locale} t={t} />
        {items.map((i) => i.node)}
        {pending.map((e) => (
          <div class="msg customer" key={e.clientId} data-pending="true">
            <div class="bubble">
              {e.body}
              {e.attachmentNames.length > 0 ? <div>+ {e.attachmentNames.join(', ')}</div> : null}
            </div>
            <span class="meta">{state.connected ? t('sending') : t('queued')}</span>
          </div>
        ))}
      </div>
      {!closed && conversation?.status === 'queued' && !state.offline ? (
        <p class="status" role="status" data-testid="queue-status">
          {state.queue
            ? `${t('queuePosition', { position: state.queue.position })}${
                state.queue.estimatedWaitSeconds !== null
                  ? ` ${t('queueWait', { minutes: Math.max(1, Math.round(state.queue.estimatedWaitSeconds / 60)) })}`
                  : ''
              }`
            : t('waiting')}
        </p>
      ) : null}
      {state.agentTyping ? (
        <p class="typing status" data-testid="typing">
          {t('agentTyping', { name: state.agentTyping })}
        </p>
      ) : null}
      {closed ? (
        <Ended state={state} client={client} t={t} />
      ) : (
        <Composer state={state} client={client} t={t} />
      )}
    </>
  );
}

function Message({
  message,
  state,
  time,
  t,
  base,
}: {
  message: MessageView;
  state: ChatState;
  time: Intl.DateTimeFormat;
  t: Translate;
  base: string;
}) {
  if (message.senderKind === 'system') {
    return (
      <p class="notice" data-seq={message.seq}>
        {message.body}
      </p>
    );
  }
  const mine = message.senderKind === 'customer';
  const read = mine && (state.conversation?.agentReadSeq ?? 0) >= message.seq;
  const at = time.format(new Date(message.createdAt));
  return (
    <div class={`msg ${mine ? 'customer' : 'agent'}`} data-seq={message.seq}>
      {!mine ? <span class="meta">{message.senderName ?? t('agentFallback')}</span> : null}
      <div class="bubble">
        {message.body}
        {message.attachments.map((a) => {
          // Signed URLs are root-relative to the chat server unless it has a public URL set.
          const url = new URL(a.url, base).href;
          return a.contentType.startsWith('image/') ? (
            <a key={a.id} href={url} target="_blank" rel="noopener noreferrer">
              <img src={url} alt={a.fileName} />
            </a>
          ) : (
            <div key={a.id}>
              <a href={url} target="_blank" rel="noopener noreferrer">
                PDF: {a.fileName}
              </a>
            </div>
          );
        })}
      </div>
      <span class="meta">
        <time dateTime={message.createdAt}>{at}</time>
        {mine ? <span data-testid="receipt"> · {read ? t('read') : t('delivered')}</span> : null}
      </span>
    </div>
  );
}

function Composer({ state, client, t }: { state: ChatState; client: ChatClient; t: Translate }) {
  const [text, setText] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state.draft !== null) {
      setText(state.draft);
      client.clearDraft();
    }
  }, [state.draft]);
  const uploading = state.uploads.some((u) => !u.attachment && !u.error);
  const ready = state.uploads.some((u) => u.attachment);
  const submit = (event: Event) => {
    event.preventDefault();
    if (uploading || (text.trim() === '' && !ready)) return;
    client.send(text);
    setText('');
  };
  return (
    <form class="composer" onSubmit={submit}>
      {state.uploads.length > 0 ? (
        <ul class="uploads">
          {state.uploads.map((u) => (
            <li class="upload" key={u.localId}>
              {u.previewUrl ? <img src={u.previewUrl} alt="" /> : <span aria-hidden="true">PDF</span>}
              <span>{u.name}</span>
              {u.error ? (
                <span class="error" role="alert">
                  {u.error}
                </span>
              ) : u.attachment ? (
                <span class="sr-only" role="status">
                  {t('uploaded', { name: u.name })}
                </span>
              ) : (
                <progress
                  max={100}
                  value={u.progress}
                  aria-label={t('uploading', { name: u.name, percent: u.progress })}
                />
              )}
              <button
                type="button"
                class="icon-btn"
                aria-label={t('removeAttachment', { name: u.name })}
                onClick={() => client.removeUpload(u.localId)}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="composer-row">
        <button
          type="button"
          class="attach-btn"
          aria-label={t('attach')}
          title={t('attach')}
          disabled={!state.connected}
          onClick={() => fileRef.current?.click()}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
            <path
              fill="currentColor"
              d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"
            />
          </svg>
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          accept={client.config.uploads.contentTypes.join(',')}
          onChange={(e) => {
            const input = e.currentTarget;
            for (const file of [...(input.files ?? [])]) void client.attach(file);
            input.value = '';
          }}
        />
        <label class="sr-only" for="sb-composer">
          {t('messageLabel')}
        </label>
        <textarea
          id="sb-composer"
          rows={1}
          maxLength={4000}
          placeholder={t('messagePlaceholder')}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            client.typing(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) submit(e);
          }}
        />
        <button type="submit" class="primary-btn" disabled={uploading}>
          {t('send')}
        </button>
      </div>
      <button type="button" class="link-btn" onClick={() => void client.leave()}>
        {t('endChat')}
      </button>
    </form>
  );
}

function Ended({ state, client, t }: { state: ChatState; client: ChatClient; t: Translate }) {
  return (
    <div class="ended" data-testid="ended">
      <p role="status">
        <strong>{t('ended')}</strong>
      </p>
      {state.rated ? (
        <p role="status">{t('rated')}</p>
      ) : (
        <RatingForm t={t} onRate={(score, comment) => client.rate(score, comment)} />
      )}
      <button type="button" class="link-btn" onClick={() => void client.downloadTranscript()}>
        {t('transcript')}
      </button>
      <button type="button" class="secondary-btn" onClick={() => void client.newChat()}>
        {t('newChat')}
      </button>
    </div>
  );
}
