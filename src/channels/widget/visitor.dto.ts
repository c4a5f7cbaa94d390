import { Type } from 'class-transformer';
import {
  IsEmail,
  IsISO8601,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MessageContentDto } from '../../conversations/conversation-ref.dto.js';
import { CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH } from '../../realtime/contracts/common.js';

export class FirstMessageDto {
  @IsString() @MinLength(1) @MaxLength(CLIENT_ID_MAX_LENGTH) clientId: string;
  @IsString() @MinLength(1) @MaxLength(MESSAGE_MAX_LENGTH) body: string;
}

export class StartConversationDto {
  @IsOptional() @IsObject() prechat?: Record<string, unknown>;
  @IsOptional() @ValidateNested() @Type(() => FirstMessageDto) message?: FirstMessageDto;
}

export class VisitorMessageDto extends MessageContentDto {
  @IsUUID() conversationId: string;
  @IsString() @MinLength(1) @MaxLength(CLIENT_ID_MAX_LENGTH) clientId: string;
}

export class LeaveConversationDto {
  @IsUUID() conversationId: string;
}

export class RateConversationDto {
  @IsUUID() conversationId: string;
  @IsInt() @Min(1) @Max(5) score: number;
  @IsOptional() @IsString() @MaxLength(1000) comment?: string;
}

export class HistoryRequestDto {
  @IsOptional() @IsISO8601({ strict: true }) before?: string;
  @IsOptional() @IsInt() @Min(1) @Max(20) limit?: number;
}

/** A message left without a live chat (`offline:message`). */
export class OfflineMessageDto {
  @IsString() @MinLength(1) @MaxLength(80) name: string;
  @IsEmail() @MaxLength(254) email: string;
  @IsString() @MinLength(1) @MaxLength(MESSAGE_MAX_LENGTH) message: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(CLIENT_ID_MAX_LENGTH) clientId?: string;
  @IsOptional() @IsObject() prechat?: Record<string, unknown>;
}
