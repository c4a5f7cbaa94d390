import { Body, Controller, Get, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../auth/staff-auth.guard.js';
import { StaffService } from '../auth/staff.service.js';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { ConversationAttributesService } from '../conversations/conversation-attributes.service.js';
import { AgentsService } from '../routing/agents.service.js';
import { QueuesService } from '../routing/queues.service.js';
import { EditAttributesDto } from './workspace.dto.js';
import { Audited } from '../audit/audited.js';

/** What the agent console needs over HTTP besides the `/agent` socket. Any signed-in staff member. */
@ApiTags('workspace')
@ApiBearerAuth()
@Controller()
export class WorkspaceController {
  constructor(
    private readonly attributes: ConversationAttributesService,
    private readonly queues: QueuesService,
    private readonly staff: StaffService,
    private readonly agents: AgentsService,
  ) {}

  /** Where a conversation can be transferred: every queue, and every active agent with their availability. */
  @Get('workspace/transfer-targets')
  async transferTargets() {
    const [queues, people] = await Promise.all([this.queues.list(), this.staff.list()]);
    const agents = await Promise.all(
      people
        .filter((p) => p.active && p.role === 'agent')
        .map(async (p) => {
          const settings = await this.agents.settings(p.id);
          return {
            id: p.id,
            displayName: p.displayName,
            availability: settings.availability,
            queueIds: settings.queueIds,
          };
        }),
    );
    return {
      queues: queues.map((q) => ({ id: q.id, name: q.name, slaTargetSeconds: q.slaTargetSeconds })),
      agents,
    };
  }

  /** Corrects the conversation's attributes (the assigned agent, a supervisor or an admin); recorded as an event. */
  @Audited('conversation.edit-attributes', 'conversation')
  @Patch('conversations/:id/attributes')
  editAttributes(
    @CurrentStaff() staff: StaffUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: EditAttributesDto,
  ) {
    return this.attributes.edit(
      { kind: 'staff', staffId: staff.id, role: staff.role, displayName: staff.displayName },
      id,
      body.attributes,
    );
  }
}
