import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Roles } from '../../auth/staff-auth.guard.js';
import type { StaffUser } from '../../auth/staff-user.entity.js';
import type { Actor } from '../../conversations/domain/access.js';
import { SendTemplateDto, StartOutboundDto } from './outbound.dto.js';
import { OutboundConversationsService } from './outbound-conversations.service.js';
import { Audited } from '../../audit/audited.js';

const actorOf = (staff: StaffUser): Actor => ({
  kind: 'staff',
  staffId: staff.id,
  role: staff.role,
  displayName: staff.displayName,
});

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('conversations')
export class OutboundController {
  constructor(private readonly outbound: OutboundConversationsService) {}

  /** Starts a conversation with a customer handle on a channel account, assigned to the caller. */
  @Roles('agent', 'supervisor', 'admin')
  @Audited('conversation.start-outbound', 'conversation')
  @Post('outbound')
  start(@CurrentStaff() staff: StaffUser, @Body() body: StartOutboundDto) {
    return this.outbound.start(actorOf(staff), body);
  }

  /** Sends the account's approved template (WhatsApp), e.g. when the 24-hour window has closed. */
  @Roles('agent', 'supervisor', 'admin')
  @Audited('conversation.send-template', 'conversation')
  @Post(':id/channel-template')
  template(
    @CurrentStaff() staff: StaffUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SendTemplateDto,
  ) {
    return this.outbound.sendTemplate(actorOf(staff), id, body);
  }
}
