import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LocalDiskDriver } from './local-disk.driver.js';
import { STORAGE_DRIVER, type StorageDriver } from './storage-driver.js';

/** Provides the configured StorageDriver. Another driver is one more case here (docs/storage.md). */
@Global()
@Module({
  providers: [
    {
      provide: STORAGE_DRIVER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): StorageDriver => new LocalDiskDriver(config.storage.dir),
    },
  ],
  exports: [STORAGE_DRIVER],
})
export class StorageModule {}
