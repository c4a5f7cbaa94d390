import { Type } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH } from '../../realtime/contracts/common.js';

export class FirstMessageDto {
  @IsString() @MinLength(1) @MaxLength(CLIENT_ID_MAX_LENGTH) clientId: string;
  @IsString() @MinLength(1) @MaxLength(MESSAGE_MAX_LENGTH) body: string;
}

export class StartConversationDto {
  @IsOptional() @IsObject() prechat?: Record<string, unknown>;
  @IsOptional() @ValidateNested() @Type(() => FirstMessageDto) message?: FirstMessageDto;
}

export class VisitorMessageDto {
  @IsUUID() conversationId: string;
  @IsString() @MinLength(1) @MaxLength(CLIENT_ID_MAX_LENGTH) clientId: string;
  @IsString() @MinLength(1) @MaxLength(MESSAGE_MAX_LENGTH) body: string;
}

export class LeaveConversationDto {
  @IsUUID() conversationId: string;
}
