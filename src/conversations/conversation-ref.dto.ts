import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { MESSAGE_MAX_ATTACHMENTS, MESSAGE_MAX_LENGTH } from '../realtime/contracts/common.js';

/** Socket payloads that name a conversation, shared by the customer and agent namespaces. */
export class TypingDto {
  @IsUUID() conversationId: string;
  @IsBoolean() isTyping: boolean;
}

export class SyncDto {
  @IsUUID() conversationId: string;
  @IsInt() @Min(0) @Max(2_147_483_647) afterSeq: number;
}

export class ReadMarkDto {
  @IsUUID() conversationId: string;
  @IsInt() @Min(0) @Max(2_147_483_647) seq: number;
}

/** A message body may be empty only when the message carries attachments. */
function IsTextOrAttachments(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isTextOrAttachments',
      validator: {
        validate: (value: unknown, args) => {
          const ids = (args?.object as { attachmentIds?: unknown }).attachmentIds;
          return typeof value === 'string' && (value.length > 0 || (Array.isArray(ids) && ids.length > 0));
        },
        defaultMessage: () => 'body must not be empty unless the message has attachments',
      },
    },
    options,
  );
}

/** The text and files of a message, shared by the customer and agent `message:send`. */
export class MessageContentDto {
  @IsString() @MaxLength(MESSAGE_MAX_LENGTH) @IsTextOrAttachments() body: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MESSAGE_MAX_ATTACHMENTS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}
