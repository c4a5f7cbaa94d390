import { ForbiddenException, Logger, NotFoundException, UseFilters, UsePipes } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import type { StaffRole, StaffUser } from '../auth/staff-user.entity.js';
import { authenticateHandshake } from '../common/socket-handshake.js';
import { socketValidation } from '../common/socket-validation.js';
import { WsAckExceptionFilter } from '../common/ws-ack.js';
import { Conversation } from '../conversations/conversation.entity.js';
import {
  SUPERVISOR_NAMESPACE,
  type SupervisorClientEvents,
  type SupervisorServerEvents,
} from '../realtime/contracts/supervisor.events.js';
import {
  RealtimeHub,
  supervisorRoom,
  watchRoom,
  type SupervisorNamespace,
} from '../realtime/realtime.hub.js';
import { MetricsFeed } from './metrics.feed.js';
import { WatchConversationDto } from './supervisor.dto.js';

type SupervisorSocket = Socket<
  SupervisorClientEvents,
  SupervisorServerEvents,
  Record<string, never>,
  { staff: StaffUser }
>;

export const SUPERVISION_ROLES: StaffRole[] = ['supervisor', 'admin'];

const ok = <T>(data: T) => ({ ok: true as const, data });

/**
 * The supervisor dashboard's live feed: queue metrics, and the conversations it drills into. Token and
 * role are checked when the socket connects, the role again on every event.
 */
@WebSocketGateway({ namespace: SUPERVISOR_NAMESPACE })
@UseFilters(WsAckExceptionFilter)
@UsePipes(socketValidation)
export class SupervisorGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(SupervisorGateway.name);

  constructor(
    private readonly auth: AuthService,
    private readonly feed: MetricsFeed,
    private readonly hub: RealtimeHub,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  afterInit(namespace: SupervisorNamespace): void {
    this.hub.attachSupervisors(namespace);
    authenticateHandshake(namespace, 'staff', async (socket) => {
      const staff = await this.auth.authenticate((socket.handshake.auth as { token?: unknown }).token);
      if (!SUPERVISION_ROLES.includes(staff.role)) {
        throw new ForbiddenException(`This needs one of the roles: ${SUPERVISION_ROLES.join(', ')}`);
      }
      return staff;
    });
  }

  async handleConnection(socket: SupervisorSocket): Promise<void> {
    try {
      await socket.join(supervisorRoom(socket.data.staff.id));
      await this.feed.welcome(socket);
    } catch (error) {
      // Without its snapshot the dashboard shows nothing: drop the socket so the client reconnects.
      this.logger.error(error, 'supervisor connection failed');
      socket.disconnect(true);
    }
  }

  handleDisconnect(socket: SupervisorSocket): void {
    this.feed.forget(socket.id);
  }

  @SubscribeMessage('conversation:watch')
  async watch(@ConnectedSocket() socket: SupervisorSocket, @MessageBody() body: WatchConversationDto) {
    requireSupervision(socket);
    if (!(await this.db.getRepository(Conversation).existsBy({ id: body.conversationId })))
      throw new NotFoundException('No such conversation');
    await socket.join(watchRoom(body.conversationId));
    this.hub.watching(body.conversationId);
    return ok({ conversationId: body.conversationId });
  }

  @SubscribeMessage('conversation:unwatch')
  async unwatch(@ConnectedSocket() socket: SupervisorSocket, @MessageBody() body: WatchConversationDto) {
    requireSupervision(socket);
    await socket.leave(watchRoom(body.conversationId));
    return ok({ conversationId: body.conversationId });
  }
}

/** The role the socket was authenticated with (a role change closes the staff member's sockets). */
function requireSupervision(socket: SupervisorSocket): void {
  if (!SUPERVISION_ROLES.includes(socket.data.staff.role))
    throw new ForbiddenException(`This needs one of the roles: ${SUPERVISION_ROLES.join(', ')}`);
}
