import { io, type Socket } from 'socket.io-client';
import type { Ack, AckError, AttachmentView, MessageView } from '../../../src/realtime/contracts/common.js';
import type {
  OfflineNotice,
  PastConversation,
  QueueStatus,
  VisitorClientEvents,
  VisitorConversation,
  VisitorIdentity,
  VisitorServerEvents,
} from '../../../src/realtime/contracts/visitor.events.js';
import type { WidgetConfig } from '../../../src/realtime/contracts/widget-config.js';
import type { Translate } from './i18n.js';
import type { HostEvents } from './host-api.js';
import type { WidgetStorage } from './storage.js';
import { type OutboxEntry } from './storage.js';
import { uploadFile, UploadError } from './upload.js';

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

export type Stage = 'loading' | 'unavailable' | 'prechat' | 'offline-form' | 'chat';

export interface Notice {
  id: string;
  text: string;
  at: string;
}

export interface Upload {
  localId: string;
  name: string;
  contentType: string;
  /** An object URL of the chosen image, for the preview. */
  previewUrl: string | null;
  /** 0–100. */
  progress: number;
  attachment: AttachmentView | null;
  error: string | null;
}

export interface ChatState {
  stage: Stage;
  open: boolean;
  connected: boolean;
  online: boolean;
  conversation: VisitorConversation | null;
  messages: MessageView[];
  outbox: OutboxEntry[];
  notices: Notice[];
  queue: { position: number; estimatedWaitSeconds: number | null } | null;
  agentTyping: string | null;
  queueStatus: QueueStatus | null;
  offline: OfflineNotice | null;
  /** A problem to show above the composer or form (rate limit, refused request). */
  banner: string | null;
  /** The server's refusal of the pre-chat answers. */
  prechatError: string | null;
  uploads: Upload[];
  rated: boolean;
  history: { conversations: PastConversation[]; nextBefore: string | null } | null;
  /** Text handed back to the composer (a message the server refused). */
  draft: string | null;
}

const ACK_TIMEOUT_MS = 10_000;
const TYPING_REFRESH_MS = 2_000;
const TYPING_IDLE_MS = 3_000;

function uuid(): string {
  return crypto.randomUUID();
}

/** The conversation's socket side and its state, independent of how it is displayed. */
export class ChatClient {
  state: ChatState;
  private socket: VisitorSocket | null = null;
  private identity: VisitorIdentity | null = null;
  private readonly listeners = new Set<(state: ChatState) => void>();
  private flushing = false;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private typingSentAt = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private agentTypingTimer: ReturnType<typeof setTimeout> | null = null;
  private bannerTimer: ReturnType<typeof setTimeout> | null = null;
  /** Counts status events (joined, left, offline, closed), to tell a fetched status from a newer one. */
  private statusChanges = 0;
  attributes: Record<string, string> = {};

  constructor(
    readonly base: string,
    readonly siteKey: string,
    readonly config: WidgetConfig,
    private readonly t: Translate,
    private readonly storage: WidgetStorage,
    private readonly emitHost: <K extends keyof HostEvents>(event: K, data: HostEvents[K]) => void,
    private readonly onIncoming: (message: MessageView) => void,
  ) {
    this.state = {
      stage: 'loading',
      open: false,
      connected: false,
      online: navigator.onLine,
      conversation: null,
      messages: [],
      outbox: storage.outbox,
      notices: [],
      queue: null,
      agentTyping: null,
      queueStatus: null,
      offline: null,
      banner: null,
      prechatError: null,
      uploads: [],
      rated: false,
      history: null,
      draft: null,
    };
  }

  subscribe(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  // ---- connection ------------------------------------------------------------------------------------

  connect(identity: VisitorIdentity | null): void {
    this.identity = identity;
    const socket: VisitorSocket = io(`${this.base}/visitor`, {
      transports: ['websocket'],
      reconnectionDelayMax: 5_000,
      auth: (cb) =>
        cb({
          siteKey: this.siteKey,
          ...(this.storage.token ? { token: this.storage.token } : {}),
          ...(this.identity ? { identity: this.identity } : {}),
        }),
    });
    this.socket = socket;
    socket.on('session', (session) => void this.onSession(session));
    socket.on('connect_error', (error) => this.onConnectError(error as Error & { data?: AckError }));
    socket.on('disconnect', (reason) => {
      this.set({ connected: false, agentTyping: null });
      // The server closed it (e.g. a node shutting down): socket.io does not retry that on its own.
      if (reason === 'io server disconnect' && this.state.online) setTimeout(() => socket.connect(), 1_000);
    });
    socket.on('message', (message) => this.onMessage(message));
    socket.on('typing', (data) => {
      if (data.conversationId !== this.state.conversation?.id) return;
      if (this.agentTypingTimer) clearTimeout(this.agentTypingTimer);
      const name = this.state.conversation.agent?.displayName ?? this.t('agentFallback');
      this.set({ agentTyping: data.isTyping ? name : null });
      // A lost "stopped typing" must not leave the indicator on forever.
      if (data.isTyping) this.agentTypingTimer = setTimeout(() => this.set({ agentTyping: null }), 8_000);
    });
    socket.on('agent:joined', (data) => {
      const conversation = this.state.conversation;
      if (data.conversationId !== conversation?.id) return;
      this.statusChanges++;
      this.set({
        conversation: { ...conversation, agent: data.agent, status: 'assigned', queuePosition: null },
        queue: null,
        offline: null,
      });
      this.notice(this.t('agentJoined', { name: data.agent.displayName }));
    });
    socket.on('agent:left', (data) => {
      const conversation = this.state.conversation;
      if (data.conversationId !== conversation?.id) return;
      this.statusChanges++;
      this.set({ conversation: { ...conversation, agent: null, status: 'queued' }, agentTyping: null });
      this.notice(this.t('agentLeft'));
    });
    socket.on('queue:position', (data) => {
      if (data.conversationId !== this.state.conversation?.id) return;
      this.set({ queue: { position: data.position, estimatedWaitSeconds: data.estimatedWaitSeconds } });
    });
    socket.on('queue:offline', (data) => {
      if (data.conversationId !== this.state.conversation?.id) return;
      this.statusChanges++;
      this.set({ offline: data, queue: null });
      // `max-wait` notices are also posted as a system message; avoid saying it twice.
      if (data.reason !== 'max-wait') this.notice(data.message);
    });
    socket.on('conversation:closed', (data) => {
      const conversation = this.state.conversation;
      if (data.conversationId !== conversation?.id || conversation.status === 'closed') return;
      this.statusChanges++;
      // The panel's footer says it ended, with the rating and the transcript.
      this.set({ conversation: { ...conversation, status: 'closed' }, queue: null, agentTyping: null });
      this.emitHost('conversation-ended', { conversationId: data.conversationId });
    });
    socket.on('read', (mark) => {
      const conversation = this.state.conversation;
      if (mark.conversationId !== conversation?.id || mark.by !== 'agent') return;
      this.set({
        conversation: { ...conversation, agentReadSeq: Math.max(conversation.agentReadSeq, mark.seq) },
      });
    });

    window.addEventListener('offline', () => {
      this.set({ online: false, connected: false });
      // The browser knows before the socket's heartbeat does: stop at once and queue what is typed.
      socket.disconnect();
    });
    window.addEventListener('online', () => {
      this.set({ online: true });
      if (!socket.connected) socket.connect();
    });
    window.addEventListener('storage', (event) => {
      if (!this.storage.concerns(event)) return;
      // Another tab of the same visitor sent or queued messages.
      this.set({ outbox: this.storage.outbox });
    });
  }

  /** A signed-in customer of the host site: reconnects with the identity so their history follows them. */
  identify(identity: VisitorIdentity): void {
    this.identity = identity;
    // Also while still connecting: the handshake may already have gone out without the identity.
    if (this.socket?.active) {
      this.socket.disconnect();
      this.socket.connect();
    }
  }

  private onConnectError(error: Error & { data?: AckError }): void {
    const code = error.data?.code;
    if (code === 'unauthorized' && this.storage.token) {
      // An expired token or one of another site: come back as a new visitor.
      this.storage.token = null;
      this.socket?.connect();
    } else if (code === 'unauthorized' && this.identity) {
      this.emitHost('error', { code, message: error.message });
      this.identity = null;
      this.socket?.connect();
    } else if (code === 'rate_limited') {
      const seconds = error.data?.retryAfterSeconds ?? 30;
      this.showBanner(this.t('rateLimited', { seconds }), seconds);
      setTimeout(() => this.socket?.connect(), seconds * 1000);
    } else if (code) {
      this.emitHost('error', { code, message: error.message });
      this.set({ stage: 'unavailable', banner: this.t('error', { message: error.message }) });
    }
    // Without a code it is the network: socket.io keeps retrying.
  }

  private async onSession(session: { token: string; conversations: VisitorConversation[] }): Promise<void> {
    this.storage.token = session.token;
    this.set({ connected: true, online: true });
    const remembered = this.storage.conversationId;
    let conversation = session.conversations[0] ?? null;
    if (!conversation && remembered) {
      // A closed conversation the customer has not rated yet still shows its end (rating, transcript).
      const synced = await this.request('sync', { conversationId: remembered, afterSeq: 0 });
      if (synced.ok && !synced.data.conversation.rated) conversation = synced.data.conversation;
      else this.storage.conversationId = null;
    }
    if (conversation) {
      await this.adopt(conversation);
    } else if (this.state.stage === 'loading' || this.state.stage === 'unavailable') {
      await this.chooseStartStage();
    }
    if (this.identity) await this.loadHistory(true);
    void this.flush();
  }

  /** Shows `conversation`, fetching what this page has not seen of it. */
  private async adopt(conversation: VisitorConversation): Promise<void> {
    const same = this.state.conversation?.id === conversation.id;
    const afterSeq = same ? this.lastSeq() : 0;
    if (!same) {
      // Shown before the fetch, so an `agent:joined` (or any event) arriving meanwhile is not dropped.
      this.storage.conversationId = conversation.id;
      this.set({
        stage: 'chat',
        conversation,
        messages: [],
        notices: [],
        rated: conversation.rated,
        queue: null,
        offline: null,
      });
    }
    const changesBefore = this.statusChanges;
    const synced = await this.request('sync', { conversationId: conversation.id, afterSeq });
    const current = this.state.conversation;
    // Another conversation was shown meanwhile (e.g. a new chat from another tab): leave it.
    if (current?.id !== conversation.id) return;
    const fetched = synced.ok ? synced.data.conversation : current;
    // An event that arrived during the fetch is newer than the fetched status.
    const latest =
      this.statusChanges === changesBefore
        ? fetched
        : {
            ...fetched,
            status: current.status,
            agent: current.agent,
            queuePosition: current.queuePosition,
            offline: current.offline,
          };
    this.set({
      stage: 'chat',
      conversation: latest,
      messages: synced.ok ? this.merge(this.state.messages, synced.data.messages) : this.state.messages,
      rated: latest.rated,
      queue:
        latest.queuePosition !== null
          ? {
              position: latest.queuePosition,
              estimatedWaitSeconds: this.state.queue?.estimatedWaitSeconds ?? null,
            }
          : this.statusChanges === changesBefore
            ? null
            : this.state.queue,
      offline: latest.offline
        ? (this.state.offline ?? {
            conversationId: latest.id,
            reason: latest.offline.reason,
            nextOpeningAt: null,
            message: '',
          })
        : null,
    });
    this.markRead();
  }

  private async chooseStartStage(): Promise<void> {
    const status = await this.request('queue:status', {});
    const queueStatus = status.ok ? status.data : null;
    this.set({ queueStatus, stage: queueStatus && !queueStatus.open ? 'offline-form' : 'prechat' });
  }

  private lastSeq(): number {
    return this.state.messages.reduce((max, m) => Math.max(max, m.seq), 0);
  }

  private merge(existing: MessageView[], incoming: MessageView[]): MessageView[] {
    const byId = new Map(existing.map((m) => [m.id, m]));
    for (const message of incoming) byId.set(message.id, message);
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  }

  private onMessage(message: MessageView): void {
    const conversation = this.state.conversation;
    if (message.conversationId !== conversation?.id) {
      // Another tab of this visitor started a conversation: show it here as well.
      if (!conversation || conversation.status === 'closed') {
        void this.request('sync', { conversationId: message.conversationId, afterSeq: 0 }).then((synced) => {
          if (synced.ok && synced.data.conversation.status !== 'closed')
            void this.adopt(synced.data.conversation);
        });
      }
      return;
    }
    const known = this.state.messages.some((m) => m.id === message.id);
    const outbox = message.clientId
      ? this.state.outbox.filter((e) => e.clientId !== message.clientId)
      : this.state.outbox;
    this.set({
      messages: this.merge(this.state.messages, [message]),
      outbox,
      conversation: { ...conversation, lastSeq: Math.max(conversation.lastSeq, message.seq) },
      agentTyping: message.senderKind === 'agent' ? null : this.state.agentTyping,
    });
    if (known) return;
    this.emitHost('message', message);
    if (message.senderKind !== 'customer') {
      this.onIncoming(message);
      this.markRead();
    }
  }

  // ---- requests --------------------------------------------------------------------------------------

  private async request<E extends keyof VisitorClientEvents>(
    event: E,
    payload: Parameters<VisitorClientEvents[E]>[0],
  ): Promise<Ack<AckData<E>>> {
    const socket = this.socket;
    if (!socket?.connected) return { ok: false, error: { code: 'internal', message: 'offline' } };
    try {
      // socket.io's typed emitWithAck does not follow a map whose acknowledgement is optional.
      const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emitWithAck(e: string, p: unknown): Promise<Ack<AckData<E>>>;
      };
      return await timed.emitWithAck(event, payload);
    } catch {
      return { ok: false, error: { code: 'internal', message: 'timeout' } };
    }
  }

  /** Shows a refusal; a rate limit says how long to wait and clears itself after that. */
  private refused(error: AckError): string {
    if (error.code === 'rate_limited') {
      const seconds = error.retryAfterSeconds ?? Number(/(\d+)\s*s\b/.exec(error.message)?.[1] ?? 30);
      const text = this.t('rateLimited', { seconds });
      this.showBanner(text, seconds);
      return text;
    }
    const text = this.t('error', { message: error.message });
    this.showBanner(text, 15);
    return text;
  }

  private showBanner(text: string, seconds: number): void {
    if (this.bannerTimer) clearTimeout(this.bannerTimer);
    this.set({ banner: text });
    this.bannerTimer = setTimeout(() => this.set({ banner: null }), seconds * 1000);
  }

  private notice(text: string): void {
    this.set({ notices: [...this.state.notices, { id: uuid(), text, at: new Date().toISOString() }] });
  }

  async start(prechat: Record<string, string>): Promise<boolean> {
    this.set({ prechatError: null });
    const result = await this.request(
      'conversation:start',
      Object.keys(prechat).length > 0 ? { prechat } : {},
    );
    if (!result.ok) {
      this.set({
        prechatError:
          result.error.code === 'rate_limited' ? this.refused(result.error) : result.error.message,
      });
      return false;
    }
    const started = result.data.conversation;
    await this.adopt(started);
    // Taken before the reply reached us: the `agent:joined` event came before the conversation was known.
    if (started.agent && this.state.conversation?.id === started.id && this.state.notices.length === 0)
      this.notice(this.t('agentJoined', { name: started.agent.displayName }));
    this.emitHost('conversation-started', { conversationId: result.data.conversation.id });
    return true;
  }

  /** Queues the message (kept across reloads) and sends it now if connected, later otherwise. */
  send(body: string): void {
    const conversation = this.state.conversation;
    if (!conversation || conversation.status === 'closed') return;
    const ready = this.state.uploads.filter((u) => u.attachment);
    if (body.trim() === '' && ready.length === 0) return;
    const entry: OutboxEntry = {
      clientId: uuid(),
      conversationId: conversation.id,
      body: body.trim(),
      attachmentIds: ready.map((u) => (u.attachment as AttachmentView).id),
      attachmentNames: ready.map((u) => u.name),
      createdAt: new Date().toISOString(),
    };
    this.storage.addToOutbox(entry);
    ready.forEach((u) => u.previewUrl && URL.revokeObjectURL(u.previewUrl));
    this.set({
      outbox: this.storage.outbox,
      uploads: this.state.uploads.filter((u) => !u.attachment),
      draft: null,
    });
    this.typing(false);
    void this.flush();
  }

  /** Sends the outbox in order; each entry keeps its client id, so a retry is never stored twice. */
  async flush(): Promise<void> {
    if (this.flushing || !this.socket?.connected) return;
    this.flushing = true;
    try {
      for (const entry of this.storage.outbox) {
        const result = await this.request('message:send', {
          conversationId: entry.conversationId,
          clientId: entry.clientId,
          body: entry.body,
          ...(entry.attachmentIds.length > 0 ? { attachmentIds: entry.attachmentIds } : {}),
        });
        if (!result.ok && (result.error.message === 'timeout' || result.error.message === 'offline')) break;
        if (!result.ok && result.error.code === 'rate_limited') {
          this.refused(result.error);
          if (this.flushTimer) clearTimeout(this.flushTimer);
          this.flushTimer = setTimeout(
            () => void this.flush(),
            (result.error.retryAfterSeconds ?? 30) * 1000,
          );
          break;
        }
        this.storage.removeFromOutbox(entry.clientId);
        if (result.ok) {
          this.acknowledged(entry, result.data);
        } else {
          this.refused(result.error);
          this.set({ draft: entry.body });
        }
        this.set({ outbox: this.storage.outbox });
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Shows a sent message as delivered even when its echo has not arrived yet. */
  private acknowledged(entry: OutboxEntry, ack: { id: string; seq: number; createdAt: string }): void {
    if (
      entry.conversationId !== this.state.conversation?.id ||
      this.state.messages.some((m) => m.id === ack.id)
    )
      return;
    const message: MessageView = {
      id: ack.id,
      conversationId: entry.conversationId,
      seq: ack.seq,
      senderKind: 'customer',
      senderId: null,
      senderName: null,
      body: entry.body,
      internal: false,
      clientId: entry.clientId,
      createdAt: ack.createdAt,
      attachments: [],
    };
    this.set({ messages: this.merge(this.state.messages, [message]) });
    // The echo carries the attachments' signed URLs.
    if (entry.attachmentIds.length > 0) void this.resync();
  }

  private async resync(): Promise<void> {
    const conversation = this.state.conversation;
    if (!conversation) return;
    const before = Math.max(0, this.lastSeq() - 1);
    const synced = await this.request('sync', { conversationId: conversation.id, afterSeq: before });
    if (synced.ok) this.set({ messages: this.merge(this.state.messages, synced.data.messages) });
  }

  /** Throttled: at most one "typing" every 2 s, and "stopped" after 3 s without a key. */
  typing(isTyping: boolean): void {
    const conversation = this.state.conversation;
    if (!conversation || conversation.status === 'closed' || !this.socket?.connected) return;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    if (isTyping) {
      const now = Date.now();
      if (now - this.typingSentAt > TYPING_REFRESH_MS) {
        this.typingSentAt = now;
        void this.request('typing', { conversationId: conversation.id, isTyping: true });
      }
      this.typingTimer = setTimeout(() => this.typing(false), TYPING_IDLE_MS);
    } else if (this.typingSentAt > 0) {
      this.typingSentAt = 0;
      void this.request('typing', { conversationId: conversation.id, isTyping: false });
    }
  }

  /** Marks everything shown read, when the customer can actually see it. */
  markRead(): void {
    const conversation = this.state.conversation;
    if (!conversation || !this.state.open || document.hidden) return;
    const last = this.state.messages
      .filter((m) => m.senderKind !== 'customer')
      .reduce((max, m) => Math.max(max, m.seq), 0);
    if (last <= conversation.customerReadSeq) return;
    this.set({ conversation: { ...conversation, customerReadSeq: last } });
    void this.request('message:read', { conversationId: conversation.id, seq: last });
  }

  setOpen(open: boolean): void {
    if (open === this.state.open) return;
    this.set({ open });
    this.emitHost(open ? 'open' : 'close', null);
    if (open) this.markRead();
  }

  async attach(file: File): Promise<void> {
    const conversation = this.state.conversation;
    const token = this.storage.token;
    if (!conversation || !token) return;
    const { maxBytes, contentTypes } = this.config.uploads;
    if (!contentTypes.includes(file.type)) {
      this.showBanner(this.t('fileType', { name: file.name }), 10);
      return;
    }
    if (file.size > maxBytes) {
      this.showBanner(
        this.t('fileSize', { name: file.name, max: `${Math.floor(maxBytes / 1024 / 1024)} MB` }),
        10,
      );
      return;
    }
    const upload: Upload = {
      localId: uuid(),
      name: file.name,
      contentType: file.type,
      previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
      progress: 0,
      attachment: null,
      error: null,
    };
    const update = (patch: Partial<Upload>) =>
      this.set({
        uploads: this.state.uploads.map((u) => (u.localId === upload.localId ? { ...u, ...patch } : u)),
      });
    this.set({ uploads: [...this.state.uploads, upload] });
    try {
      const attachment = await uploadFile(
        `${this.base}/widget/conversations/${encodeURIComponent(conversation.id)}/attachments`,
        token,
        file,
        (progress) => update({ progress }),
      );
      update({ attachment, progress: 100 });
    } catch (error) {
      const reason =
        error instanceof UploadError && error.retryAfterSeconds !== null
          ? this.t('rateLimited', { seconds: error.retryAfterSeconds })
          : error instanceof Error
            ? error.message
            : String(error);
      update({ error: this.t('uploadFailed', { name: file.name, reason }) });
    }
  }

  removeUpload(localId: string): void {
    const upload = this.state.uploads.find((u) => u.localId === localId);
    if (upload?.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    this.set({ uploads: this.state.uploads.filter((u) => u.localId !== localId) });
  }

  async rate(score: number, comment: string): Promise<boolean> {
    const conversation = this.state.conversation;
    if (!conversation) return false;
    const result = await this.request('conversation:rate', {
      conversationId: conversation.id,
      score,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    });
    if (!result.ok) {
      this.refused(result.error);
      return false;
    }
    this.set({ rated: true });
    return true;
  }

  async leave(): Promise<void> {
    const conversation = this.state.conversation;
    if (!conversation || conversation.status === 'closed') return;
    const result = await this.request('conversation:leave', { conversationId: conversation.id });
    if (!result.ok) this.refused(result.error);
  }

  /** The transcript as a file: fetched with the visitor token, then saved through a blob link. */
  async downloadTranscript(): Promise<void> {
    const conversation = this.state.conversation;
    const token = this.storage.token;
    if (!conversation || !token) return;
    const response = await fetch(
      `${this.base}/widget/conversations/${encodeURIComponent(conversation.id)}/transcript`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    if (!response.ok) {
      this.showBanner(this.t('error', { message: `HTTP ${response.status}` }), 10);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `transcript-${conversation.id}.txt`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** After an ended chat: back to the form for a new one. */
  async newChat(): Promise<void> {
    this.storage.conversationId = null;
    this.set({
      conversation: null,
      messages: [],
      notices: [],
      queue: null,
      offline: null,
      rated: false,
      uploads: [],
    });
    await this.chooseStartStage();
  }

  async leaveMessage(form: { name: string; email: string; message: string }): Promise<string | null> {
    const result = await this.request('offline:message', { ...form, clientId: uuid() });
    if (!result.ok)
      return result.error.code === 'rate_limited' ? this.refused(result.error) : result.error.message;
    const synced = await this.request('sync', { conversationId: result.data.conversationId, afterSeq: 0 });
    if (synced.ok) {
      await this.adopt(synced.data.conversation);
      this.notice(this.t('offlineThanks'));
    }
    this.emitHost('conversation-started', { conversationId: result.data.conversationId });
    return null;
  }

  async loadHistory(first = false): Promise<void> {
    const before = first ? undefined : (this.state.history?.nextBefore ?? undefined);
    const result = await this.request('history', { limit: 5, ...(before ? { before } : {}) });
    if (!result.ok) return;
    const previous = first ? [] : (this.state.history?.conversations ?? []);
    this.set({
      history: {
        conversations: [...previous, ...result.data.conversations],
        nextBefore: result.data.nextBefore,
      },
    });
  }

  /** Answers for pre-chat fields of the same names, shown in the form (only the form's fields are sent). */
  setAttributes(attributes: Record<string, string>): void {
    this.attributes = { ...this.attributes, ...attributes };
    this.set({});
  }

  clearDraft(): void {
    this.set({ draft: null });
  }
}

type AckData<E extends keyof VisitorClientEvents> = Parameters<VisitorClientEvents[E]>[1] extends
  ((ack: Ack<infer T>) => void) | undefined
  ? T
  : never;
