import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { Attachment } from './attachment.entity.js';
import { AttachmentsService } from './attachments.service.js';
import { FileLinksModule } from './file-links.module.js';
import { FilesController } from './files.controller.js';
import { StaffAttachmentsController } from './staff-attachments.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Attachment]), ConversationsModule, FileLinksModule, StorageModule],
  controllers: [FilesController, StaffAttachmentsController],
  providers: [AttachmentsService],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
