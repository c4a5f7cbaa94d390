import { Module } from '@nestjs/common';
import { FileLinks } from './file-links.js';

@Module({ providers: [FileLinks], exports: [FileLinks] })
export class FileLinksModule {}
