import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/staff-auth.guard.js';
import { CannedRepliesService } from './canned-replies.service.js';
import { CannedReplySearchQuery, CreateCannedReplyDto, UpdateCannedReplyDto } from './canned-reply.dto.js';
import { Audited } from '../audit/audited.js';

/** Agents (any signed-in staff) search canned replies by what they typed after `/`. */
@ApiTags('canned replies')
@ApiBearerAuth()
@Controller('canned-replies')
export class CannedRepliesController {
  constructor(private readonly replies: CannedRepliesService) {}

  @Get()
  search(@Query() query: CannedReplySearchQuery) {
    return this.replies.search(query.q ?? '');
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/canned-replies')
export class CannedRepliesAdminController {
  constructor(private readonly replies: CannedRepliesService) {}

  @Get()
  list() {
    return this.replies.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.replies.get(id);
  }

  @Audited('canned-reply.create', 'canned-reply')
  @Post()
  create(@Body() body: CreateCannedReplyDto) {
    return this.replies.create(body);
  }

  @Audited('canned-reply.update', 'canned-reply')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCannedReplyDto) {
    return this.replies.update(id, body);
  }

  @Audited('canned-reply.delete', 'canned-reply')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await this.replies.remove(id);
  }
}
