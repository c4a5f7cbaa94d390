import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { StaffRole } from './staff-user.entity.js';

export interface StaffClaims {
  sub: string;
  role: StaffRole;
}

export interface VisitorClaims {
  /** The visitor id: the web channel identity of the contact. */
  sub: string;
  /** The site the visitor belongs to. */
  site: string;
}

const STAFF_AUDIENCE = 'switchboard:staff';
const VISITOR_AUDIENCE = 'switchboard:visitor';

/** Signs and checks the two kinds of bearer token. The audiences keep one from passing as the other. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  signStaff(claims: StaffClaims): Promise<string> {
    return this.jwt.signAsync({ role: claims.role }, {
      subject: claims.sub,
      audience: STAFF_AUDIENCE,
      expiresIn: this.config.auth.jwtTtlSeconds,
    });
  }

  async verifyStaff(token: unknown): Promise<StaffClaims> {
    const payload = await this.verify(token, STAFF_AUDIENCE);
    return { sub: String(payload.sub), role: payload.role as StaffRole };
  }

  signVisitor(claims: VisitorClaims): Promise<string> {
    return this.jwt.signAsync({ site: claims.site }, {
      subject: claims.sub,
      audience: VISITOR_AUDIENCE,
      expiresIn: this.config.auth.visitorTokenTtlSeconds,
    });
  }

  async verifyVisitor(token: unknown): Promise<VisitorClaims> {
    const payload = await this.verify(token, VISITOR_AUDIENCE);
    return { sub: String(payload.sub), site: String(payload.site) };
  }

  private async verify(token: unknown, audience: string): Promise<Record<string, unknown>> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new UnauthorizedException('A valid token is required');
    }
    try {
      return await this.jwt.verifyAsync<Record<string, unknown>>(token, { audience, issuer: 'switchboard', algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('The token is invalid or has expired');
    }
  }
}
