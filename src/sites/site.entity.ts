import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PrechatField, WidgetAppearance, WidgetLocale } from '../realtime/contracts/widget-config.js';

export type { PrechatField } from '../realtime/contracts/widget-config.js';

@Entity('site')
export class Site {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Public key embedded in the widget snippet; not a secret. */
  @Column({ name: 'public_key', type: 'text', unique: true })
  publicKey: string;

  @Column({ name: 'allowed_origins', type: 'text', array: true, default: () => `'{}'` })
  allowedOrigins: string[];

  @Column({ name: 'default_queue_id', type: 'uuid' })
  defaultQueueId: string;

  @Column({ name: 'prechat_fields', type: 'jsonb', default: () => `'[]'` })
  prechatFields: PrechatField[];

  /** The widget's language; null: the customer's browser decides. */
  @Column({ type: 'text', nullable: true })
  locale: WidgetLocale | null;

  /** What was set of the widget's look; the rest takes defaults (see domain/widget-config). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  appearance: Partial<WidgetAppearance>;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  greeting: Partial<Record<WidgetLocale, string>>;

  /** The sealed identity secret (IdentitySecrets); never selected unless asked for, never returned. */
  @Column({ name: 'identity_secret', type: 'text', nullable: true, select: false })
  identitySecretSealed?: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
