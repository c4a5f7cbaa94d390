import { randomUUID } from 'node:crypto';
import { ForbiddenException, Logger, UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { socketValidation } from '../../common/socket-validation.js';
import { authenticateHandshake } from '../../common/socket-handshake.js';
import { WsAckExceptionFilter } from '../../common/ws-ack.js';
import { AbandonmentService } from '../../conversations/abandonment.service.js';
import { ConversationsService } from '../../conversations/conversations.service.js';
import type { Actor } from '../../conversations/domain/access.js';
import { CustomerHistoryService } from '../../conversations/customer-history.service.js';
import { MessagesService } from '../../conversations/messages.service.js';
import { ReadMarksService } from '../../conversations/read-marks.service.js';
import { SatisfactionService } from '../../conversations/satisfaction.service.js';
import type { MessageAck, MessageView } from '../../realtime/contracts/common.js';
import {
  VISITOR_NAMESPACE,
  type VisitorClientEvents,
  type VisitorServerEvents,
} from '../../realtime/contracts/visitor.events.js';
import { conversationRoom, RealtimeHub, type VisitorNamespace } from '../../realtime/realtime.hub.js';
import { RateLimitService } from '../../rate-limit/rate-limit.service.js';
import { QueueStatusService } from '../../routing/queue-status.service.js';
import { profileFromAnswers } from '../../sites/domain/prechat.js';
import { SitesService } from '../../sites/sites.service.js';
import { VisitorSessionService, type VisitorSession } from './visitor-session.service.js';
import { OfflineMessageDto } from './visitor.dto.js';
import { ReadMarkDto, SyncDto, TypingDto } from '../../conversations/conversation-ref.dto.js';
import {
  HistoryRequestDto,
  LeaveConversationDto,
  RateConversationDto,
  StartConversationDto,
  VisitorMessageDto,
} from './visitor.dto.js';

type VisitorSocket = Socket<
  VisitorClientEvents,
  VisitorServerEvents,
  Record<string, never>,
  { session: VisitorSession; conversationIds?: string[] }
>;

const CONVERSATION_ROOM_PREFIX = conversationRoom('');

const ok = <T>(data: T) => ({ ok: true as const, data });

/** The customer's end of a website chat. Every handler acts only on the visitor's own conversations. */
@WebSocketGateway({ namespace: VISITOR_NAMESPACE })
@UseFilters(WsAckExceptionFilter)
@UsePipes(socketValidation)
export class VisitorGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(VisitorGateway.name);

  constructor(
    private readonly sessions: VisitorSessionService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly sites: SitesService,
    private readonly hub: RealtimeHub,
    private readonly limits: RateLimitService,
    private readonly abandonment: AbandonmentService,
    private readonly queueStatus: QueueStatusService,
    private readonly readMarks: ReadMarksService,
    private readonly satisfaction: SatisfactionService,
    private readonly history: CustomerHistoryService,
  ) {}

  afterInit(namespace: VisitorNamespace): void {
    this.hub.attachVisitors(namespace);
    authenticateHandshake(namespace, 'session', (socket) =>
      this.sessions.open(
        socket.handshake.auth as Record<string, unknown>,
        socket.handshake.headers.origin,
        this.limits.clientAddress(socket.handshake),
      ),
    );
  }

  async handleConnection(socket: VisitorSocket): Promise<void> {
    // By `disconnect` the socket has left its rooms: note now which conversations it was in (including
    // those another tab of the visitor started, which it joined through the visitor's room).
    socket.once('disconnecting', () => {
      socket.data.conversationIds = [...socket.rooms]
        .filter((room) => room.startsWith(CONVERSATION_ROOM_PREFIX))
        .map((room) => room.slice(CONVERSATION_ROOM_PREFIX.length));
    });
    try {
      await this.welcome(socket);
    } catch (error) {
      this.logger.error(error, 'visitor connection failed');
      socket.disconnect(true);
    }
  }

  private async welcome(socket: VisitorSocket): Promise<void> {
    const { session } = socket.data;
    await socket.join(`visitor:${session.visitorId}`);
    const open = session.contactId
      ? await this.conversations.openForVisitor(session.contactId, session.site.id)
      : [];
    await socket.join(open.map((c) => conversationRoom(c.id)));
    // After joining: a grace job that runs from here on sees this socket and keeps the conversation.
    await this.abandonment.visitorReturned(open.filter((c) => c.status === 'queued').map((c) => c.id));
    socket.emit('session', {
      token: session.token,
      visitorId: session.visitorId,
      conversations: await Promise.all(open.map((c) => this.conversations.visitorView(c))),
    });
  }

  handleDisconnect(socket: VisitorSocket): Promise<void> {
    return this.hub.track(this.disconnected(socket));
  }

  private async disconnected(socket: VisitorSocket): Promise<void> {
    const conversationIds = socket.data.conversationIds ?? [];
    if (conversationIds.length === 0) return;
    try {
      await this.abandonment.socketsClosed(conversationIds);
    } catch (error) {
      // The conversation then waits until an agent takes it or the customer leaves; the node must stay up.
      this.logger.error(error, 'visitor disconnect handling failed');
    }
  }

  @SubscribeMessage('conversation:start')
  async start(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: StartConversationDto) {
    const { session } = socket.data;
    // Both budgets are checked in one Redis round trip's time.
    await Promise.all([
      this.limits.consume('conversationStart', this.limits.clientAddress(socket.handshake)),
      this.limits.consume('conversationStartVisitor', session.visitorId),
    ]);
    const attributes = this.sites.prechatAnswers(session.site, body.prechat);
    const { conversation, message } = await this.open(socket, attributes, body.message ?? null);
    return ok({
      conversation: await this.conversations.visitorView(
        await this.conversations.readable(this.actor(socket), conversation.id),
      ),
      message,
    });
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: VisitorMessageDto) {
    // Both budgets are checked in one Redis round trip's time.
    await Promise.all([
      this.limits.consume('visitorMessage', socket.data.session.visitorId),
      this.limits.consume('visitorMessageIp', this.limits.clientAddress(socket.handshake)),
    ]);
    return ok(await this.messages.send(this.actor(socket), body));
  }

  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: TypingDto) {
    await this.conversations.typing(this.actor(socket), body.conversationId, body.isTyping);
    return ok(null);
  }

  @SubscribeMessage('conversation:leave')
  async leave(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: LeaveConversationDto) {
    return ok(await this.abandonment.leave(this.actor(socket), body.conversationId));
  }

  @SubscribeMessage('sync')
  async sync(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: SyncDto) {
    const conversation = await this.conversations.readable(this.actor(socket), body.conversationId);
    const messages: MessageView[] = await this.messages.history(conversation.id, body.afterSeq, false);
    return ok({ conversation: await this.conversations.visitorView(conversation), messages });
  }

  @SubscribeMessage('message:read')
  async read(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: ReadMarkDto) {
    return ok({ seq: await this.readMarks.markRead(this.actor(socket), body.conversationId, body.seq) });
  }

  @SubscribeMessage('conversation:rate')
  async rate(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: RateConversationDto) {
    await this.satisfaction.rate(this.actor(socket), body.conversationId, {
      score: body.score,
      comment: body.comment,
    });
    return ok({ conversationId: body.conversationId });
  }

  /** Past conversations: a signed-in customer's from any device, an anonymous visitor's own only. */
  @SubscribeMessage('history')
  async pastConversations(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: HistoryRequestDto) {
    if (!socket.data.session.contactId) return ok({ conversations: [], nextBefore: null });
    const before = body.before ? new Date(body.before) : null;
    return ok(await this.history.past(this.actor(socket), before, body.limit ?? 5));
  }

  /** Whether the site's queue takes live chats now (before the widget offers a chat or a message form). */
  @SubscribeMessage('queue:status')
  async queueStatusNow(@ConnectedSocket() socket: VisitorSocket) {
    return ok(await this.queueStatus.status(socket.data.session.site.defaultQueueId));
  }

  /** A message left without a live chat: kept as a conversation for staff to answer later. */
  @SubscribeMessage('offline:message')
  async offlineMessage(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: OfflineMessageDto) {
    const { session } = socket.data;
    await this.limits.consume('conversationStart', this.limits.clientAddress(socket.handshake));
    // The form asks for name and email itself; the site's pre-chat answers are checked only when sent.
    const answers = body.prechat === undefined ? {} : this.sites.prechatAnswers(session.site, body.prechat);
    const attributes = { ...answers, name: body.name, email: body.email };
    const { conversation, message } = await this.open(
      socket,
      attributes,
      { clientId: body.clientId ?? randomUUID(), body: body.message },
      { offlineMessage: true },
    );
    if (!message) throw new Error('the offline message was not stored');
    return ok({ conversationId: conversation.id, message });
  }

  /**
   * Opens (or finds) the visitor's conversation on this site, with this socket and the visitor's others
   * in its room, and stores the customer's first message before routing is asked, so the agent's
   * assignment carries it.
   */
  private async open(
    socket: VisitorSocket,
    attributes: Record<string, string>,
    first: { clientId: string; body: string } | null,
    options?: { offlineMessage: boolean },
  ) {
    const { session } = socket.data;
    let message: MessageAck | null = null;
    const { conversation } = await this.conversations.startFromWidget(
      {
        visitorId: session.visitorId,
        siteId: session.site.id,
        queueId: session.site.defaultQueueId,
        attributes,
        profile: profileFromAnswers(attributes),
      },
      async (opened) => {
        session.contactId = opened.contactId;
        await socket.join(conversationRoom(opened.id));
        this.hub.joinVisitorToConversation(session.visitorId, opened.id);
        if (first) message = await this.messages.send(this.actor(socket), { conversationId: opened.id, ...first });
      },
      options,
    );
    return { conversation, message: message as MessageAck | null };
  }

  private actor(socket: VisitorSocket): Actor {
    const { session } = socket.data;
    if (!session.contactId) throw new ForbiddenException('Start a conversation first');
    return { kind: 'customer', contactId: session.contactId, siteId: session.site.id };
  }
}
