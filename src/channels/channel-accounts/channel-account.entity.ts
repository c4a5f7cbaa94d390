import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One account on a messaging network (a WhatsApp number, a Page, a bot, …). */
@Entity('channel_account')
export class ChannelAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Connector name (`whatsapp`, `messenger`, `api`, …). */
  @Column({ type: 'text' })
  network: string;

  @Column({ type: 'text' })
  name: string;

  /** The account's id at the provider (phone number id, page id, bot id, JID). */
  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'default_queue_id', type: 'uuid' })
  defaultQueueId: string;

  /** Non-secret settings, returned by the admin API. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  settings: Record<string, string>;

  /** Names of the secrets that are set; the values live only in `secretsCiphertext`. */
  @Column({ name: 'secret_names', type: 'text', array: true, default: () => `'{}'` })
  secretNames: string[];

  /** AES-256-GCM of the secrets as JSON (see secret-box.ts); never returned or logged. */
  @Column({ name: 'secrets_ciphertext', type: 'text', nullable: true, select: false })
  secretsCiphertext: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
