import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { AgentState } from './agent-state.entity.js';
import type { ChannelCapacity } from './domain/capacity.js';
import type { Availability } from './domain/routing-types.js';
import { withdrawOffers } from './offer.repository.js';
import { QueueMember } from './queue.entity.js';
import { RoutingJobs } from './routing-jobs.js';

export interface AgentSettings {
  /** The overall cap; without `channelCapacity`, up to this many of anything. */
  capacity: number;
  /** Limits per kind (`web` live chat, `im` messaging apps); null: `capacity` alone. */
  channelCapacity: ChannelCapacity | null;
  skills: Record<string, number>;
  queueIds: string[];
}

export interface AgentSettingsView extends AgentSettings {
  availability: Availability;
}

/** Routing's side of a staff member: capacity, skills, queue membership, availability. */
@Injectable()
export class AgentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: RoutingJobs,
    private readonly hub: RealtimeHub,
  ) {}

  async configure(staffId: string, settings: Partial<AgentSettings>): Promise<AgentSettingsView> {
    // An update body's fields are all optional, which lets `null` through: capacity cannot be empty.
    if (settings.capacity === null) throw new BadRequestException('capacity cannot be null');
    await this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO agent_state (staff_id) VALUES ($1) ON CONFLICT (staff_id) DO NOTHING`, [staffId]);
      const patch: Partial<AgentState> = {};
      if (settings.capacity !== undefined) patch.capacity = settings.capacity;
      if (settings.channelCapacity !== undefined) {
        const limits = settings.channelCapacity;
        patch.channelCapacity = limits && Object.keys(limits).length > 0 ? limits : null;
        // Limits per kind alone must not be cut by the default overall cap: it becomes their sum.
        if (settings.capacity === undefined && patch.channelCapacity) {
          patch.capacity = Object.values(patch.channelCapacity).reduce((sum, n) => sum + (n ?? 0), 0);
        }
      }
      if (settings.skills !== undefined) patch.skills = settings.skills;
      if (Object.keys(patch).length > 0) await tx.update(AgentState, { staffId }, patch);
      if (settings.queueIds !== undefined) {
        await this.assertQueuesExist(settings.queueIds);
        await tx.delete(QueueMember, { staffId });
        if (settings.queueIds.length > 0) {
          await tx.insert(QueueMember, [...new Set(settings.queueIds)].map((queueId) => ({ queueId, staffId })));
        }
      }
    });
    // Joining a queue or gaining capacity can let waiting conversations through.
    await this.jobs.requestRouteForAgent(staffId);
    return this.settings(staffId);
  }

  async assertQueuesExist(queueIds: string[] = []): Promise<void> {
    const found: unknown[] = await this.db.query(`SELECT id FROM queue WHERE id = ANY($1::uuid[])`, [queueIds]);
    if (found.length !== new Set(queueIds).size) throw new NotFoundException('One of the queues does not exist');
  }

  async settings(staffId: string): Promise<AgentSettingsView> {
    // Staff who never had routing settings (e.g. the first admin) read as the column defaults.
    const state = await this.db.getRepository(AgentState).findOneBy({ staffId });
    const members = await this.db.getRepository(QueueMember).findBy({ staffId });
    return {
      capacity: state?.capacity ?? 3,
      channelCapacity: state?.channelCapacity ?? null,
      skills: state?.skills ?? {},
      queueIds: members.map((m) => m.queueId),
      availability: state?.availability ?? 'offline',
    };
  }

  async setAvailability(staffId: string, availability: Availability): Promise<Availability> {
    await this.db.query(
      `INSERT INTO agent_state (staff_id, availability) VALUES ($1, $2)
       ON CONFLICT (staff_id) DO UPDATE SET availability = EXCLUDED.availability,
         availability_changed_at = CASE WHEN agent_state.availability = EXCLUDED.availability
                                        THEN agent_state.availability_changed_at ELSE now() END`,
      [staffId, availability],
    );
    this.hub.toAgent(staffId).emit('availability', { availability });
    if (availability === 'available') await this.jobs.requestRouteForAgent(staffId);
    else await this.withdrawOffersOf(staffId, availability === 'away' ? 'agent-away' : 'agent-offline');
    return availability;
  }

  /**
   * An agent who is no longer available cannot answer offers: each goes straight to the next agent
   * instead of ringing an empty desk until it times out (and it does not count as missed).
   */
  private async withdrawOffersOf(staffId: string, reason: string): Promise<void> {
    const withdrawn = await this.db.transaction((tx) => withdrawOffers(tx, { agentId: staffId }, reason));
    for (const offer of withdrawn) {
      this.hub.toAgent(staffId).emit('offer:withdrawn', { conversationId: offer.conversationId, reason });
      await this.jobs.cancelOfferTimeout(offer.conversationId, offer.offeredAt);
    }
    await this.jobs.requestRoute(withdrawn.map((o) => o.queueId));
  }

  /**
   * Whether the agent has a console open anywhere. A dropped agent gets no new work during the grace
   * period; coming back restores routing to them at once.
   */
  async setConnected(staffId: string, connected: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO agent_state (staff_id, connected) VALUES ($1, $2)
       ON CONFLICT (staff_id) DO UPDATE SET connected = EXCLUDED.connected`,
      [staffId, connected],
    );
    if (connected) await this.jobs.requestRouteForAgent(staffId);
  }

  /**
   * Agents the database holds connected with no console open on any node — the node their console was
   * on stopped or died before it could say so. They are treated as disconnected: no new work, and after
   * the grace period their conversations go back to the queue (the grace job looks at their sockets
   * again first, so one who just came back keeps everything). Returns their ids.
   */
  async releaseVanished(graceMs: number): Promise<string[]> {
    const connected: { staff_id: string }[] = await this.db.query(`SELECT staff_id FROM agent_state WHERE connected`);
    if (connected.length === 0) return [];
    // Asked after the read: an agent who connects in between is seen online here.
    const online = await this.hub.connectedAgentIds();
    const vanished = connected.map((r) => r.staff_id).filter((id) => !online.has(id));
    for (const staffId of vanished) {
      await this.db.query(`UPDATE agent_state SET connected = false WHERE staff_id = $1`, [staffId]);
      await this.jobs.scheduleAgentGrace(staffId, graceMs);
    }
    return vanished;
  }

  async availability(staffId: string): Promise<Availability> {
    const state = await this.db.getRepository(AgentState).findOneBy({ staffId });
    return state?.availability ?? 'offline';
  }

  async queueIdsOf(staffId: string): Promise<string[]> {
    const members = await this.db.getRepository(QueueMember).findBy({ staffId });
    return members.map((m) => m.queueId);
  }
}
