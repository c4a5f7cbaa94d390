import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type UploaderKind = 'customer' | 'agent';

/** A file uploaded into a conversation. Its bytes live in the storage driver under `storageKey`. */
@Entity('attachment')
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @Column({ name: 'uploader_kind', type: 'text' })
  uploaderKind: UploaderKind;

  /** The contact (customer) or staff member who uploaded it; only they can attach it to a message. */
  @Column({ name: 'uploader_id', type: 'uuid' })
  uploaderId: string;

  /** The message it was sent with; null until then. An attachment is sent once. */
  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId: string | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
