import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A prepared answer an agent inserts by its shortcut. */
@Entity('canned_reply')
export class CannedReply {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Lower-case word typed after `/` in the console, unique. */
  @Column({ type: 'text', unique: true })
  shortcut: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
