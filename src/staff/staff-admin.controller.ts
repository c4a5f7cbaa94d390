import { BadRequestException, Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/staff-auth.guard.js';
import { StaffService } from '../auth/staff.service.js';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { RealtimeHub } from '../realtime/realtime.hub.js';
import { AgentsService } from '../routing/agents.service.js';
import { CreateStaffDto, UpdateStaffDto } from './staff.dto.js';
import { Audited } from '../audit/audited.js';

/** Staff accounts together with their routing settings, as an admin manages them. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/staff')
export class StaffAdminController {
  constructor(
    private readonly staff: StaffService,
    private readonly agents: AgentsService,
    private readonly hub: RealtimeHub,
  ) {}

  @Roles('admin', 'supervisor')
  @Get()
  async list() {
    const people = await this.staff.list();
    return Promise.all(people.map((p) => this.view(p)));
  }

  @Roles('admin', 'supervisor')
  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return this.view(await this.staff.get(id));
  }

  @Roles('admin')
  @Audited('staff.create', 'staff')
  @Post()
  async create(@Body() body: CreateStaffDto) {
    await this.agents.assertQueuesExist(body.queueIds);
    const user = await this.staff.create(body);
    await this.agents.configure(user.id, {
      capacity: body.capacity,
      channelCapacity: body.channelCapacity,
      skills: body.skills,
      queueIds: body.queueIds,
    });
    return this.view(user);
  }

  @Roles('admin')
  @Audited('staff.update', 'staff')
  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateStaffDto) {
    // Checked before anything is saved: the account and its routing settings change together or not at all.
    if (body.capacity === null) throw new BadRequestException('capacity cannot be null');
    await this.agents.assertQueuesExist(body.queueIds);
    const before = await this.staff.get(id);
    const user = await this.staff.update(id, body);
    // Open sockets were authorised for the old account: a disabled or re-roled member reconnects anew.
    if (!user.active || user.role !== before.role) this.hub.disconnectStaff(user.id);
    await this.agents.configure(user.id, {
      capacity: body.capacity,
      channelCapacity: body.channelCapacity,
      skills: body.skills,
      queueIds: body.queueIds,
    });
    return this.view(user);
  }

  private async view(user: StaffUser) {
    const settings = await this.agents.settings(user.id);
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      active: user.active,
      ...settings,
    };
  }
}
