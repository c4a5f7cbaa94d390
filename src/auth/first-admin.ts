import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { StaffService } from './staff.service.js';

/** ADMIN_EMAIL / ADMIN_PASSWORD create the first admin account when no account has that email yet. */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdmin.name);

  constructor(
    private readonly staff: StaffService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config.auth;
    if (!adminEmail || !adminPassword) return;
    if (await this.staff.existsByEmail(adminEmail)) return;
    try {
      await this.staff.create({ email: adminEmail, password: adminPassword, displayName: 'Administrator', role: 'admin' });
      this.logger.log({ email: adminEmail.toLowerCase() }, 'created the first admin account from ADMIN_EMAIL');
    } catch (error) {
      // Another node created it at the same moment.
      if (!(await this.staff.existsByEmail(adminEmail))) throw error;
    }
  }
}
