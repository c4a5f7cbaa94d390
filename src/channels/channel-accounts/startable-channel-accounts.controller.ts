import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/staff-auth.guard.js';
import type { StartableChannelAccount } from './channel-account.dto.js';
import { ChannelAccountsService } from './channel-accounts.service.js';

/** The accounts the agent console offers for "New conversation" (POST /conversations/outbound). */
@ApiTags('workspace')
@ApiBearerAuth()
@Controller('workspace/channel-accounts')
export class StartableChannelAccountsController {
  constructor(private readonly accounts: ChannelAccountsService) {}

  @Roles('agent', 'supervisor', 'admin')
  @Get()
  list(): Promise<StartableChannelAccount[]> {
    return this.accounts.startable();
  }
}
