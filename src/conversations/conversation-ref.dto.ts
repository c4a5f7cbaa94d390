import { IsBoolean, IsInt, IsUUID, Max, Min } from 'class-validator';

/** Socket payloads that name a conversation, shared by the customer and agent namespaces. */
export class TypingDto {
  @IsUUID() conversationId: string;
  @IsBoolean() isTyping: boolean;
}

export class SyncDto {
  @IsUUID() conversationId: string;
  @IsInt() @Min(0) @Max(2_147_483_647) afterSeq: number;
}
