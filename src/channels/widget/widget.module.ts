import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { ContactsModule } from '../../contacts/contacts.module.js';
import { ConversationsModule } from '../../conversations/conversations.module.js';
import { SitesModule } from '../../sites/sites.module.js';
import { VisitorSessionService } from './visitor-session.service.js';
import { VisitorGateway } from './visitor.gateway.js';

@Module({
  imports: [AuthModule, ContactsModule, ConversationsModule, SitesModule],
  providers: [VisitorGateway, VisitorSessionService],
})
export class WidgetModule {}
