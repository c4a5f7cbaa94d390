import { ForbiddenException, Logger } from '@nestjs/common';
import {
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';
import type { StaffRole, StaffUser } from '../auth/staff-user.entity.js';
import { authenticateHandshake } from '../common/socket-handshake.js';
import {
  SUPERVISOR_NAMESPACE,
  type SupervisorClientEvents,
  type SupervisorServerEvents,
} from '../realtime/contracts/supervisor.events.js';
import { RealtimeHub, supervisorRoom, type SupervisorNamespace } from '../realtime/realtime.hub.js';
import { MetricsFeed } from './metrics.feed.js';

type SupervisorSocket = Socket<
  SupervisorClientEvents,
  SupervisorServerEvents,
  Record<string, never>,
  { staff: StaffUser }
>;

export const SUPERVISION_ROLES: StaffRole[] = ['supervisor', 'admin'];

/** The supervisor dashboard's live feed. Token and role are checked when the socket connects. */
@WebSocketGateway({ namespace: SUPERVISOR_NAMESPACE })
export class SupervisorGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(SupervisorGateway.name);

  constructor(
    private readonly auth: AuthService,
    private readonly feed: MetricsFeed,
    private readonly hub: RealtimeHub,
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
}
