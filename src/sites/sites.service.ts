import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { validatePrechat } from './domain/prechat.js';
import { Site, type PrechatField } from './site.entity.js';

export interface SiteInput {
  name: string;
  allowedOrigins: string[];
  defaultQueueId: string;
  prechatFields?: PrechatField[];
}

@Injectable()
export class SitesService {
  constructor(@InjectRepository(Site) private readonly sites: Repository<Site>) {}

  list(): Promise<Site[]> {
    return this.sites.find({ order: { name: 'ASC' } });
  }

  async get(id: string): Promise<Site> {
    const site = await this.sites.findOneBy({ id });
    if (!site) throw new NotFoundException('No such site');
    return site;
  }

  findByKey(publicKey: string): Promise<Site | null> {
    return this.sites.findOneBy({ publicKey });
  }

  async create(input: SiteInput, publicKey = `site_${randomBytes(12).toString('base64url')}`): Promise<Site> {
    await this.assertQueue(input.defaultQueueId);
    const saved = await this.sites.save(this.sites.create({ ...input, publicKey }));
    return this.get(saved.id);
  }

  async update(id: string, changes: Partial<SiteInput>): Promise<Site> {
    await this.get(id);
    if (changes.defaultQueueId) await this.assertQueue(changes.defaultQueueId);
    await this.sites.update(id, changes);
    return this.get(id);
  }

  /** Pre-chat answers checked against the site's form; unknown fields are refused, not dropped. */
  prechatAnswers(site: Site, answers: Record<string, unknown> | undefined): Record<string, string> {
    const result = validatePrechat(site.prechatFields, answers ?? {});
    if (!result.ok) throw new BadRequestException(result.errors.join('; '));
    return result.values;
  }

  private async assertQueue(queueId: string): Promise<void> {
    const rows: unknown[] = await this.sites.query(`SELECT 1 FROM queue WHERE id = $1`, [queueId]);
    if (rows.length === 0) throw new NotFoundException('No such queue');
  }
}
