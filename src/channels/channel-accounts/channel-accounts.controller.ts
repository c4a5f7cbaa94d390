import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/staff-auth.guard.js';
import { CreateChannelAccountDto, UpdateChannelAccountDto } from './channel-account.dto.js';
import { ChannelAccountsService } from './channel-accounts.service.js';
import { Audited } from '../../audit/audited.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/channel-accounts')
export class ChannelAccountsController {
  constructor(private readonly accounts: ChannelAccountsService) {}

  /** The networks this server speaks, with their capabilities and account settings/secrets. */
  @Roles('admin')
  @Get('networks')
  networks() {
    return this.accounts.networks();
  }

  @Roles('admin')
  @Get()
  list() {
    return this.accounts.list();
  }

  @Roles('admin')
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.get(id);
  }

  @Roles('admin')
  @Audited('channel-account.create', 'channel-account')
  @Post()
  create(@Body() body: CreateChannelAccountDto) {
    return this.accounts.create(body);
  }

  @Roles('admin')
  @Audited('channel-account.update', 'channel-account')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateChannelAccountDto) {
    return this.accounts.update(id, body);
  }
}
