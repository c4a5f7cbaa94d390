import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../../attachments/attachments.module.js';
import { AuthModule } from '../../auth/auth.module.js';
import { ContactsModule } from '../../contacts/contacts.module.js';
import { ConversationsModule } from '../../conversations/conversations.module.js';
import { SitesModule } from '../../sites/sites.module.js';
import { VisitorSessionService } from './visitor-session.service.js';
import { VisitorGateway } from './visitor.gateway.js';
import { WidgetHttpController } from './widget-http.controller.js';

@Module({
  imports: [AuthModule, ContactsModule, ConversationsModule, SitesModule, AttachmentsModule],
  controllers: [WidgetHttpController],
  providers: [VisitorGateway, VisitorSessionService],
})
export class WidgetModule {}
