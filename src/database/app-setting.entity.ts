import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Deployment-wide values generated once and shared by every node (e.g. a generated signing key). */
@Entity('app_setting')
export class AppSetting {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  value: string;
}
