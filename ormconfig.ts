import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/config.js';
import { dataSourceOptions } from './src/database/data-source-options.js';

/** The one DataSource the TypeORM CLI uses; the app builds the same options from the same config. */
export default new DataSource(dataSourceOptions(loadConfig().database.url));
