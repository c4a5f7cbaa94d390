import { Module } from '@nestjs/common';
import { ChannelAccountsController } from './channel-accounts.controller.js';
import { ChannelAccountsService } from './channel-accounts.service.js';
import { StartableChannelAccountsController } from './startable-channel-accounts.controller.js';

@Module({
  controllers: [ChannelAccountsController, StartableChannelAccountsController],
  providers: [ChannelAccountsService],
  exports: [ChannelAccountsService],
})
export class ChannelAccountsModule {}
