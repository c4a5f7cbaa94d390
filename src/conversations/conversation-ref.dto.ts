import { IsBoolean, IsInt, IsUUID, Min } from 'class-validator';

/** Socket payloads that name a conversation, shared by the customer and agent namespaces. */
export class TypingDto {
  @IsUUID() conversationId: string;
  @IsBoolean() isTyping: boolean;
}

export class SyncDto {
  @IsUUID() conversationId: string;
  @IsInt() @Min(0) afterSeq: number;
}
