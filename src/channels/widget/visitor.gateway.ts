import { ForbiddenException, Logger, UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { socketValidation } from '../../common/socket-validation.js';
import { authenticateHandshake } from '../../common/socket-handshake.js';
import { WsAckExceptionFilter } from '../../common/ws-ack.js';
import { ConversationsService } from '../../conversations/conversations.service.js';
import type { Actor } from '../../conversations/domain/access.js';
import { MessagesService } from '../../conversations/messages.service.js';
import type { MessageAck, MessageView } from '../../realtime/contracts/common.js';
import {
  VISITOR_NAMESPACE,
  type VisitorClientEvents,
  type VisitorServerEvents,
} from '../../realtime/contracts/visitor.events.js';
import { conversationRoom, RealtimeHub, type VisitorNamespace } from '../../realtime/realtime.hub.js';
import { RateLimitService } from '../../rate-limit/rate-limit.service.js';
import { profileFromAnswers } from '../../sites/domain/prechat.js';
import { SitesService } from '../../sites/sites.service.js';
import { VisitorSessionService, type VisitorSession } from './visitor-session.service.js';
import { SyncDto, TypingDto } from '../../conversations/conversation-ref.dto.js';
import { StartConversationDto, VisitorMessageDto } from './visitor.dto.js';

type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, { session: VisitorSession }>;

const ok = <T>(data: T) => ({ ok: true as const, data });

/** The customer's end of a website chat. Every handler acts only on the visitor's own conversations. */
@WebSocketGateway({ namespace: VISITOR_NAMESPACE })
@UseFilters(WsAckExceptionFilter)
@UsePipes(socketValidation)
export class VisitorGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(VisitorGateway.name);

  constructor(
    private readonly sessions: VisitorSessionService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly sites: SitesService,
    private readonly hub: RealtimeHub,
    private readonly limits: RateLimitService,
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
    const open = session.contactId ? await this.conversations.openForVisitor(session.contactId, session.site.id) : [];
    await socket.join(open.map((c) => conversationRoom(c.id)));
    socket.emit('session', {
      token: session.token,
      visitorId: session.visitorId,
      conversations: await Promise.all(open.map((c) => this.conversations.visitorView(c))),
    });
  }

  @SubscribeMessage('conversation:start')
  async start(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: StartConversationDto) {
    const { session } = socket.data;
    await this.limits.consume('conversationStart', this.limits.clientAddress(socket.handshake));
    const attributes = this.sites.prechatAnswers(session.site, body.prechat);
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
      },
    );
    let message: MessageAck | null = null;
    if (body.message) {
      message = await this.conversations.sendMessage(this.actor(socket), {
        conversationId: conversation.id,
        clientId: body.message.clientId,
        body: body.message.body,
      });
    }
    return ok({ conversation: await this.conversations.visitorView(await this.conversations.readable(this.actor(socket), conversation.id)), message });
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: VisitorMessageDto) {
    await this.limits.consume('visitorMessage', socket.data.session.visitorId);
    return ok(await this.conversations.sendMessage(this.actor(socket), body));
  }

  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: TypingDto) {
    await this.conversations.typing(this.actor(socket), body.conversationId, body.isTyping);
    return ok(null);
  }

  @SubscribeMessage('sync')
  async sync(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: SyncDto) {
    const conversation = await this.conversations.readable(this.actor(socket), body.conversationId);
    const messages: MessageView[] = await this.messages.history(conversation.id, body.afterSeq, false);
    return ok({ conversation: await this.conversations.visitorView(conversation), messages });
  }

  private actor(socket: VisitorSocket): Actor {
    const { session } = socket.data;
    if (!session.contactId) throw new ForbiddenException('Start a conversation first');
    return { kind: 'customer', contactId: session.contactId, siteId: session.site.id };
  }
}
