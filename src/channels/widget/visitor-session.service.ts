import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TokensService } from '../../auth/tokens.service.js';
import { RateLimitService } from '../../rate-limit/rate-limit.service.js';
import { ContactsService } from '../../contacts/contacts.service.js';
import { isAllowedOrigin } from '../../sites/domain/prechat.js';
import type { Site } from '../../sites/site.entity.js';
import { SitesService } from '../../sites/sites.service.js';

export interface VisitorSession {
  visitorId: string;
  token: string;
  site: Site;
  /** Known once the visitor has started a conversation. */
  contactId: string | null;
}

/** Who is on the other end of a widget socket: a site key, an allowed Origin, and a visitor token. */
@Injectable()
export class VisitorSessionService {
  constructor(
    private readonly sites: SitesService,
    private readonly tokens: TokensService,
    private readonly contacts: ContactsService,
    private readonly limits: RateLimitService,
  ) {}

  async open(auth: Record<string, unknown>, origin: string | undefined, ip: string): Promise<VisitorSession> {
    await this.limits.consume('visitorConnect', ip);
    const siteKey = auth.siteKey;
    if (typeof siteKey !== 'string' || siteKey.length === 0 || siteKey.length > 100) {
      throw new UnauthorizedException('A site key is required');
    }
    const site = await this.sites.findByKey(siteKey);
    if (!site) throw new UnauthorizedException('Unknown site key');
    if (!isAllowedOrigin(site.allowedOrigins, origin)) {
      throw new ForbiddenException(`Origin ${origin ?? '(none)'} is not allowed for this site`);
    }
    if (auth.token === undefined || auth.token === null || auth.token === '') {
      const visitorId = randomUUID();
      return { visitorId, site, contactId: null, token: await this.tokens.signVisitor({ sub: visitorId, site: site.id }) };
    }
    const claims = await this.tokens.verifyVisitor(auth.token);
    if (claims.site !== site.id) throw new UnauthorizedException('The token belongs to another site');
    const contact = await this.contacts.findByIdentity('web', claims.sub);
    return { visitorId: claims.sub, site, contactId: contact?.id ?? null, token: auth.token as string };
  }
}
