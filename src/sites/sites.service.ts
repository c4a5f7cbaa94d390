import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { validatePrechat } from './domain/prechat.js';
import type { WidgetAppearance, WidgetLocale } from '../realtime/contracts/widget-config.js';
import { IdentitySecrets } from './identity-secrets.js';
import { Site, type PrechatField } from './site.entity.js';

export interface SiteInput {
  name: string;
  allowedOrigins: string[];
  defaultQueueId: string;
  prechatFields?: PrechatField[];
  locale?: WidgetLocale | null;
  appearance?: Partial<WidgetAppearance>;
  greeting?: Partial<Record<WidgetLocale, string>>;
}

@Injectable()
export class SitesService {
  constructor(
    @InjectRepository(Site) private readonly sites: Repository<Site>,
    private readonly secrets: IdentitySecrets,
  ) {}

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

  /** The site a website conversation came from; null for an unknown conversation or another channel. */
  async forConversation(conversationId: string): Promise<Site | null> {
    const rows: { site_id: string | null }[] = await this.sites.query(`SELECT site_id FROM conversation WHERE id = $1`, [
      conversationId,
    ]);
    return rows[0]?.site_id ? this.sites.findOneBy({ id: rows[0].site_id }) : null;
  }

  /** The new site, with its identity secret: the only time it is returned besides a rotation. */
  async create(
    input: SiteInput,
    publicKey = `site_${randomBytes(12).toString('base64url')}`,
  ): Promise<Site & { identitySecret: string }> {
    await this.assertQueue(input.defaultQueueId);
    const identitySecret = this.secrets.generate();
    const saved = await this.sites.save(
      this.sites.create({ ...input, publicKey, identitySecretSealed: this.secrets.seal(identitySecret) }),
    );
    return { ...(await this.get(saved.id)), identitySecret };
  }

  /** A new identity secret for the site; the old one stops working at once. */
  async rotateIdentitySecret(id: string): Promise<{ identitySecret: string }> {
    await this.get(id);
    const identitySecret = this.secrets.generate();
    await this.sites.update(id, { identitySecretSealed: this.secrets.seal(identitySecret) });
    return { identitySecret };
  }

  /** The site's identity secret for checking a signed customer; null when it has none (or it cannot be opened). */
  async identitySecret(siteId: string): Promise<string | null> {
    const row = await this.sites.findOne({ where: { id: siteId }, select: { id: true, identitySecretSealed: true } });
    return row?.identitySecretSealed ? this.secrets.open(row.identitySecretSealed) : null;
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
