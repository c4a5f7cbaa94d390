import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Roles } from '../auth/staff-auth.guard.js';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { ForceAgentStateDto, ReassignConversationDto, SupervisorCloseDto } from './supervisor-actions.dto.js';
import { SupervisorActionsService } from './supervisor-actions.service.js';
import { Audited } from '../audit/audited.js';

@ApiTags('supervision')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('supervision')
export class SupervisorActionsController {
  constructor(private readonly actions: SupervisorActionsService) {}

  /** To another agent (available, below capacity) or back to a queue. */
  @Audited('conversation.reassign', 'conversation')
  @Post('conversations/:id/reassign')
  @HttpCode(200)
  reassign(
    @CurrentStaff() staff: StaffUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReassignConversationDto,
  ) {
    return this.actions.reassign(staff, id, body);
  }

  @Audited('conversation.close', 'conversation')
  @Post('conversations/:id/close')
  @HttpCode(200)
  close(
    @CurrentStaff() staff: StaffUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SupervisorCloseDto,
  ) {
    return this.actions.close(staff, id, body.disposition);
  }

  @Audited('agent.set-state', 'staff')
  @Post('agents/:id/state')
  @HttpCode(200)
  setState(
    @CurrentStaff() staff: StaffUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ForceAgentStateDto,
  ) {
    return this.actions.setAgentState(staff, id, body.availability);
  }
}
