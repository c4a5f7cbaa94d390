import { Inject, Logger, Optional, UseFilters, UsePipes } from '@nestjs/common';
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
import { AuthService } from '../auth/auth.service.js';
import { ChannelOutbound } from '../channels/delivery/channel-outbound.js';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { socketValidation } from '../common/socket-validation.js';
import { authenticateHandshake } from '../common/socket-handshake.js';
import { WsAckExceptionFilter } from '../common/ws-ack.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { toConversationView } from '../conversations/conversation-views.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import type { Actor } from '../conversations/domain/access.js';
import { MessagesService } from '../conversations/messages.service.js';
import { ReadMarksService } from '../conversations/read-marks.service.js';
import { AGENT_NAMESPACE, type AgentClientEvents, type AgentServerEvents } from '../realtime/contracts/agent.events.js';
import { agentRoom, RealtimeHub, type AgentNamespace } from '../realtime/realtime.hub.js';
import { AgentsService } from '../routing/agents.service.js';
import { AssignmentNotifier } from '../routing/assignment.notifier.js';
import { ManualPickService } from '../routing/manual-pick.service.js';
import { OffersService } from '../routing/offers.service.js';
import { RoutingJobs } from '../routing/routing-jobs.js';
import { RoutingService } from '../routing/routing.service.js';
import { ReadMarkDto, SyncDto, TypingDto } from '../conversations/conversation-ref.dto.js';
import {
  AgentMessageDto,
  CloseConversationDto,
  OfferAnswerDto,
  PickConversationDto,
  SetAvailabilityDto,
  TransferConversationDto,
} from './agent.dto.js';

type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, { staff: StaffUser }>;

const ok = <T>(data: T) => ({ ok: true as const, data });

/** The agent console's connection. The JWT is checked when the socket connects; roles on every event. */
@WebSocketGateway({ namespace: AGENT_NAMESPACE })
@UseFilters(WsAckExceptionFilter)
@UsePipes(socketValidation)
export class AgentGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(AgentGateway.name);

  constructor(
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly routing: RoutingService,
    private readonly jobs: RoutingJobs,
    private readonly notifier: AssignmentNotifier,
    private readonly manualPick: ManualPickService,
    private readonly offers: OffersService,
    private readonly hub: RealtimeHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readMarks: ReadMarksService,
    /** Typing towards messaging-network customers (absent in web-only setups). */
    @Optional() private readonly channels?: ChannelOutbound,
  ) {}

  afterInit(namespace: AgentNamespace): void {
    this.hub.attachAgents(namespace);
    authenticateHandshake(namespace, 'staff', (socket) =>
      this.auth.authenticate((socket.handshake.auth as { token?: unknown }).token),
    );
  }

  async handleConnection(socket: AgentSocket): Promise<void> {
    try {
      await this.welcome(socket);
    } catch (error) {
      // Without a session the console cannot work: drop it so the client retries, and keep the node up.
      this.logger.error(error, 'agent connection failed');
      socket.disconnect(true);
    }
  }

  private async welcome(socket: AgentSocket): Promise<void> {
    const { staff } = socket.data;
    await socket.join(agentRoom(staff.id));
    await this.jobs.cancelAgentGrace(staff.id);
    await this.agents.setConnected(staff.id, true);
    const open = await this.conversations.openForAgent(staff.id);
    socket.emit('session', {
      agent: { id: staff.id, displayName: staff.displayName, role: staff.role },
      availability: await this.agents.availability(staff.id),
      assignments: await Promise.all(open.map((c) => this.notifier.assignment(c.id))),
      offers: await this.notifier.openOffers(staff.id),
    });
  }

  handleDisconnect(socket: AgentSocket): Promise<void> {
    return this.hub.track(this.disconnected(socket));
  }

  private async disconnected(socket: AgentSocket): Promise<void> {
    const staff = socket.data.staff as StaffUser | undefined;
    if (!staff) return;
    try {
      if ((await this.hub.agentSocketCount(staff.id)) === 0) {
        await this.agents.setConnected(staff.id, false);
        await this.jobs.scheduleAgentGrace(staff.id, this.config.routing.agentGraceMs);
      }
    } catch (error) {
      // The periodic sweep and the next connect repair presence; the node must stay up.
      this.logger.error(error, 'agent disconnect handling failed');
    }
  }

  @SubscribeMessage('availability:set')
  async setAvailability(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: SetAvailabilityDto) {
    return ok({ availability: await this.agents.setAvailability(socket.data.staff.id, body.availability) });
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: AgentMessageDto) {
    return ok(await this.messages.send(this.actor(socket), body));
  }

  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: TypingDto) {
    await this.conversations.typing(this.actor(socket), body.conversationId, body.isTyping);
    await this.channels?.agentTyping(body.conversationId, body.isTyping);
    return ok(null);
  }

  @SubscribeMessage('conversation:close')
  async close(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: CloseConversationDto) {
    await this.conversations.close(this.actor(socket), body.conversationId, body.disposition);
    return ok({ conversationId: body.conversationId });
  }

  @SubscribeMessage('conversation:transfer')
  async transfer(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: TransferConversationDto) {
    await this.routing.transfer(this.actor(socket), body.conversationId, body);
    return ok({ conversationId: body.conversationId });
  }

  @SubscribeMessage('queue:list')
  async queueList(@ConnectedSocket() socket: AgentSocket) {
    return ok({ waiting: await this.manualPick.waitingFor(socket.data.staff.id) });
  }

  @SubscribeMessage('conversation:pick')
  async pick(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: PickConversationDto) {
    await this.manualPick.pick(this.actor(socket), body.conversationId);
    return ok({ conversationId: body.conversationId });
  }

  @SubscribeMessage('offer:accept')
  async acceptOffer(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: OfferAnswerDto) {
    await this.offers.accept(socket.data.staff.id, body.conversationId);
    return ok({ conversationId: body.conversationId });
  }

  @SubscribeMessage('offer:decline')
  async declineOffer(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: OfferAnswerDto) {
    await this.offers.decline(socket.data.staff.id, body.conversationId);
    return ok({ conversationId: body.conversationId });
  }

  @SubscribeMessage('sync')
  async sync(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: SyncDto) {
    const conversation = await this.conversations.readable(this.actor(socket), body.conversationId);
    const messages = await this.messages.history(conversation.id, body.afterSeq, true);
    return ok({ conversation: toConversationView(conversation), messages });
  }

  @SubscribeMessage('message:read')
  async read(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: ReadMarkDto) {
    return ok({ seq: await this.readMarks.markRead(this.actor(socket), body.conversationId, body.seq) });
  }

  private actor(socket: AgentSocket): Actor {
    const { staff } = socket.data;
    return { kind: 'staff', staffId: staff.id, role: staff.role, displayName: staff.displayName };
  }
}
