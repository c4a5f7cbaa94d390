import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contact, ContactIdentity } from './contact.entity.js';
import { ContactsService } from './contacts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Contact, ContactIdentity])],
  providers: [ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}
