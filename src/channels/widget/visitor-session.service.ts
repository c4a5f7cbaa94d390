import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { TokensService } from '../../auth/tokens.service.js';
import { RateLimitService } from '../../rate-limit/rate-limit.service.js';
import { ContactsService } from '../../contacts/contacts.service.js';
import {
  isValidIdentitySignature,
  signedInVisitorId,
  USER_ID_MAX_LENGTH,
} from '../../sites/domain/identity.js';
import { isAllowedOrigin } from '../../sites/domain/prechat.js';
import type { Site } from '../../sites/site.entity.js';
import { SitesService } from '../../sites/sites.service.js';

export interface VisitorSession {
  visitorId: string;
  token: string;
  site: Site;
  /** Known once the visitor has started a conversation (at once for a signed-in customer). */
  contactId: string | null;
  /** The host site's user id when the customer came with a valid signed identity. */
  userId: string | null;
}

/** Who is on the other end of a widget socket: a site key, an allowed Origin, and a visitor token. */
@Injectable()
export class VisitorSessionService {
  constructor(
    private readonly sites: SitesService,
    private readonly tokens: TokensService,
    private readonly contacts: ContactsService,
    private readonly limits: RateLimitService,
    @InjectDataSource() private readonly db: DataSource,
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
    if (auth.identity !== undefined && auth.identity !== null) return this.signedIn(site, auth.identity);
    if (auth.token === undefined || auth.token === null || auth.token === '') {
      const visitorId = randomUUID();
      return {
        visitorId,
        site,
        contactId: null,
        userId: null,
        token: await this.tokens.signVisitor({ sub: visitorId, site: site.id }),
      };
    }
    const claims = await this.tokens.verifyVisitor(auth.token);
    if (claims.site !== site.id) throw new UnauthorizedException('The token belongs to another site');
    const contact = await this.contacts.findByIdentity('web', claims.sub);
    return {
      visitorId: claims.sub,
      site,
      contactId: contact?.id ?? null,
      userId: null,
      token: auth.token as string,
    };
  }

  /**
   * The customer behind a visitor token sent as `Authorization: Bearer …` to the widget's HTTP routes,
   * once they have a conversation (before that there is nothing of theirs to act on).
   */
  async fromBearer(
    authorization: string | undefined,
  ): Promise<{ visitorId: string; site: Site; contactId: string }> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const claims = await this.tokens.verifyVisitor(bearer?.[1]);
    const [site, contact] = await Promise.all([
      this.sites.get(claims.site).catch(() => null),
      this.contacts.findByIdentity('web', claims.sub),
    ]);
    if (!site) throw new UnauthorizedException('The token belongs to a site that no longer exists');
    if (!contact) throw new ForbiddenException('Start a conversation first');
    return { visitorId: claims.sub, site, contactId: contact.id };
  }

  /**
   * A customer the host site vouches for: the same contact on every device. A token given alongside
   * is ignored, so an anonymous visitor who signs in becomes that customer.
   */
  private async signedIn(site: Site, identity: unknown): Promise<VisitorSession> {
    const { userId, signature, name, email } = (typeof identity === 'object' ? identity : {}) as Record<
      string,
      unknown
    >;
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > USER_ID_MAX_LENGTH) {
      throw new UnauthorizedException(
        `identity.userId must be text of 1 to ${USER_ID_MAX_LENGTH} characters`,
      );
    }
    if (typeof signature !== 'string') throw new UnauthorizedException('identity.signature is required');
    const secret = await this.sites.identitySecret(site.id);
    if (!secret)
      throw new UnauthorizedException(
        'This site has no identity secret; ask its administrator to rotate one',
      );
    if (!isValidIdentitySignature(secret, userId, signature)) {
      throw new UnauthorizedException(
        'The identity signature is invalid: it must be hex(HMAC-SHA256(site identity secret, userId))',
      );
    }
    const visitorId = signedInVisitorId(site.id, userId);
    const profile = {
      displayName: typeof name === 'string' && name.length <= 200 ? name : null,
      email: typeof email === 'string' && email.length <= 320 ? email : null,
    };
    const contactId = await this.db.transaction((tx) =>
      this.contacts.findOrCreateByIdentity(tx, 'web', visitorId, profile),
    );
    return {
      visitorId,
      site,
      contactId,
      userId,
      token: await this.tokens.signVisitor({ sub: visitorId, site: site.id }),
    };
  }
}
