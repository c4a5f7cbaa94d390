import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH } from '../../realtime/contracts/common.js';

export class StartOutboundDto {
  @ApiProperty({ description: 'Channel account to write from' })
  @IsUUID()
  accountId: string;

  @ApiProperty({
    example: '447700900123',
    description: 'Customer handle on that network (phone, chat id, JID, …)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  to: string;

  @ApiPropertyOptional({
    description: 'First message (free-form). Needs an open messaging window where the network has one.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MESSAGE_MAX_LENGTH)
  body?: string;

  @ApiPropertyOptional({ description: "Send the account's configured template instead of `body` (WhatsApp)" })
  @IsOptional()
  @IsBoolean()
  template?: boolean;

  @ApiPropertyOptional({ description: 'Template body parameters, in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  parameters?: string[];

  @ApiProperty({ description: 'Idempotency key of the first message' })
  @IsString()
  @MinLength(1)
  @MaxLength(CLIENT_ID_MAX_LENGTH)
  clientId: string;
}

export class SendTemplateDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(CLIENT_ID_MAX_LENGTH)
  clientId: string;

  @ApiPropertyOptional({ description: 'Template body parameters, in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  parameters?: string[];
}
