import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { Roles } from '../auth/staff-auth.guard.js';
import { ContactMergeService } from './contact-merge.service.js';
import { ContactsService } from './contacts.service.js';
import { Audited } from '../audit/audited.js';

export class MergeContactDto {
  @ApiProperty({ description: 'The contact that is merged into this one and removed' })
  @IsUUID()
  sourceContactId: string;
}

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly merging: ContactMergeService,
  ) {}

  @Roles('supervisor', 'admin')
  @Audited('contact.read', 'contact')
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.contacts.view(id);
  }

  /** Links two contacts that are one person; the history of both becomes the history of `:id`. */
  @Roles('supervisor', 'admin')
  @Audited('contact.merge', 'contact')
  @Post(':id/merge')
  merge(@Param('id', ParseUUIDPipe) id: string, @Body() body: MergeContactDto) {
    return this.merging.merge(id, body.sourceContactId);
  }
}
