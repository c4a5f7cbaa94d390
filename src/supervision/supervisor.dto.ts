import { IsUUID } from 'class-validator';

/** `conversation:watch` / `conversation:unwatch`: the drill-in's conversation. */
export class WatchConversationDto {
  @IsUUID() conversationId: string;
}
