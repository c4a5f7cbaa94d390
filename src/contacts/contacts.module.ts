import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactMergeService } from './contact-merge.service.js';
import { Contact, ContactIdentity } from './contact.entity.js';
import { ContactsController } from './contacts.controller.js';
import { ContactsService } from './contacts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Contact, ContactIdentity])],
  controllers: [ContactsController],
  providers: [ContactsService, ContactMergeService],
  exports: [ContactsService],
})
export class ContactsModule {}
