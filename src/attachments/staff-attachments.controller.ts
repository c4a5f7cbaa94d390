import { Controller, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentStaff } from '../auth/staff-auth.guard.js';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { AttachmentsService, type UploadRequest } from './attachments.service.js';
import { ALLOWED_CONTENT_TYPES } from './domain/file-type.js';

/**
 * Staff upload a file into a conversation they may write in (its agent, or a supervisor or admin), then
 * send it with `message:send`'s `attachmentIds`. The body is the raw file.
 */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller('conversations')
export class StaffAttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post(':id/attachments')
  @ApiConsumes(...ALLOWED_CONTENT_TYPES)
  @ApiHeader({ name: 'X-File-Name', description: 'The file name, URI-encoded', required: true })
  @ApiBody({ description: 'The file itself (not multipart)', schema: { type: 'string', format: 'binary' } })
  async upload(
    @CurrentStaff() staff: StaffUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: UploadRequest,
  ) {
    const actor = {
      kind: 'staff' as const,
      staffId: staff.id,
      role: staff.role,
      displayName: staff.displayName,
    };
    return { attachment: await this.attachments.upload(actor, id, request) };
  }
}
