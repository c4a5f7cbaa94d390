import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { AVAILABILITIES, type Availability } from '../routing/domain/routing-types.js';
import { MessageContentDto } from '../conversations/conversation-ref.dto.js';
import { CLIENT_ID_MAX_LENGTH } from '../realtime/contracts/common.js';

export class SetAvailabilityDto {
  @IsIn(AVAILABILITIES) availability: Availability;
}

export class AgentMessageDto extends MessageContentDto {
  @IsUUID() conversationId: string;
  @IsString() @MinLength(1) @MaxLength(CLIENT_ID_MAX_LENGTH) clientId: string;
  @IsOptional() @IsBoolean() internal?: boolean;
}

export class CloseConversationDto {
  @IsUUID() conversationId: string;
  @IsString() @MinLength(1) @MaxLength(80) disposition: string;
}

export class PickConversationDto {
  @IsUUID() conversationId: string;
}

export class OfferAnswerDto {
  @IsUUID() conversationId: string;
}

export class TransferConversationDto {
  @IsUUID() conversationId: string;
  @IsOptional() @IsUUID() queueId?: string;
  @IsOptional() @IsUUID() agentId?: string;
  @IsOptional() @IsString() @MaxLength(500) note?: string;
}
