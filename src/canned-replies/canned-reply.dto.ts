import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CANNED_SHORTCUT } from './domain/rank-canned-replies.js';

const SHORTCUT_MESSAGE = 'shortcut is a lower-case word (a-z, 0-9, _ or -), up to 40 characters';

export class CreateCannedReplyDto {
  @ApiProperty({ example: 'greeting', description: 'Typed after / in the console' })
  @Matches(CANNED_SHORTCUT, { message: SHORTCUT_MESSAGE })
  shortcut: string;

  @ApiProperty({ example: 'Greeting' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  title: string;

  @ApiProperty({ example: 'Hello, how can I help you today?' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  body: string;
}

export class UpdateCannedReplyDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CANNED_SHORTCUT, { message: SHORTCUT_MESSAGE })
  shortcut?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  body?: string;
}

export class CannedReplySearchQuery {
  @ApiPropertyOptional({ description: 'What the agent typed after /; empty lists all' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
