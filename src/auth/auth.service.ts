import { Injectable, UnauthorizedException } from '@nestjs/common';
import * as argon2 from 'argon2';
import { StaffService } from './staff.service.js';
import type { StaffUser } from './staff-user.entity.js';
import { TokensService } from './tokens.service.js';

export interface LoginResult {
  accessToken: string;
  staff: Pick<StaffUser, 'id' | 'email' | 'displayName' | 'role'>;
}

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so a wrong email takes as long as a wrong password. */
  private readonly decoyHash = argon2.hash('decoy-password-for-timing');

  constructor(
    private readonly staff: StaffService,
    private readonly tokens: TokensService,
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    const user = await this.staff.findForLogin(email);
    const hash = user?.passwordHash ?? (await this.decoyHash);
    const valid = await argon2.verify(hash, password);
    if (!user || !valid) throw new UnauthorizedException('Wrong email or password');
    const accessToken = await this.tokens.signStaff({ sub: user.id, role: user.role });
    return {
      accessToken,
      staff: { id: user.id, email: user.email, displayName: user.displayName, role: user.role },
    };
  }

  /** The signed-in staff member behind a token, or 401 if the token or the account is no longer valid. */
  async authenticate(token: unknown): Promise<StaffUser> {
    const claims = await this.tokens.verifyStaff(token);
    const user = await this.staff.findActive(claims.sub);
    if (!user) throw new UnauthorizedException('The account is disabled or no longer exists');
    return user;
  }
}
