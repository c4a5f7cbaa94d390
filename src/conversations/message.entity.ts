import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SenderKind = 'customer' | 'agent' | 'system';

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

@Entity('message')
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  /** 1, 2, 3… within the conversation, without gaps. */
  @Column({ type: 'integer' })
  seq: number;

  @Column({ name: 'sender_kind', type: 'text' })
  senderKind: SenderKind;

  @Column({ name: 'sender_id', type: 'uuid', nullable: true })
  senderId: string | null;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  attachments: Attachment[];

  /** The sender's idempotency key; unique per conversation and sender kind. */
  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId: string | null;

  /** Internal notes are visible to staff only. */
  @Column({ type: 'boolean', default: false })
  internal: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
