import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface PrechatField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'tel' | 'date' | 'select' | 'textarea';
  required: boolean;
  options?: string[];
  maxLength?: number;
}

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
