import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CurrentStaff } from '../auth/staff-auth.guard.js';
import type { StaffUser } from '../auth/staff-user.entity.js';
import { TranscriptsService } from './transcripts.service.js';
import { Audited } from '../audit/audited.js';

export class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
}

export class SearchQuery {
  @IsString() @MinLength(1) @MaxLength(200) q: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit = 20;
}

@ApiTags('transcripts')
@ApiBearerAuth()
@Controller()
export class TranscriptsController {
  constructor(private readonly transcripts: TranscriptsService) {}

  @Audited('contact.history-read', 'contact')
  @Get('contacts/:id/conversations')
  contactHistory(
    @CurrentStaff() staff: StaffUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQuery,
  ) {
    return this.transcripts.contactHistory(staff, id, query.page, query.pageSize);
  }

  @Audited('transcript.read', 'conversation')
  @Get('conversations/:id/transcript')
  transcript(@CurrentStaff() staff: StaffUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.transcripts.transcript(staff, id);
  }

  @Audited('transcript.search')
  @Get('transcripts/search')
  search(@CurrentStaff() staff: StaffUser, @Query() query: SearchQuery) {
    return this.transcripts.search(staff, query.q, query.limit);
  }
}
