import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/staff-auth.guard.js';
import { CreateQueueDto, UpdateQueueDto } from './queue.dto.js';
import { QueuesService } from './queues.service.js';
import { Audited } from '../audit/audited.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/queues')
export class QueuesController {
  constructor(private readonly queues: QueuesService) {}

  @Roles('admin', 'supervisor')
  @Get()
  list() {
    return this.queues.list();
  }

  @Roles('admin', 'supervisor')
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.queues.get(id);
  }

  @Roles('admin')
  @Audited('queue.create', 'queue')
  @Post()
  create(@Body() body: CreateQueueDto) {
    return this.queues.create(body);
  }

  @Roles('admin')
  @Audited('queue.update', 'queue')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateQueueDto) {
    return this.queues.update(id, body);
  }

  @Roles('admin')
  @Audited('queue.delete', 'queue')
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.queues.remove(id);
  }
}
