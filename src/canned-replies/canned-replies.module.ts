import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CannedRepliesAdminController, CannedRepliesController } from './canned-replies.controller.js';
import { CannedRepliesService } from './canned-replies.service.js';
import { CannedReply } from './canned-reply.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([CannedReply])],
  controllers: [CannedRepliesController, CannedRepliesAdminController],
  providers: [CannedRepliesService],
  exports: [CannedRepliesService],
})
export class CannedRepliesModule {}
