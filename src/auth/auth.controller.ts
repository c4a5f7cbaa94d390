import { Body, Controller, Get, HttpCode, Ip, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service.js';
import { RateLimitService } from '../rate-limit/rate-limit.service.js';
import { AuthService, type LoginResult } from './auth.service.js';
import { LoginDto } from './login.dto.js';
import { CurrentStaff, Public } from './staff-auth.guard.js';
import type { StaffUser } from './staff-user.entity.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResult> {
    await this.limits.consume('login', `${ip}:${body.email.toLowerCase()}`);
    const attempt = { action: 'auth.login', targetType: 'staff', ip, data: { email: body.email } };
    try {
      const result = await this.auth.login(body.email, body.password);
      await this.audit.record({ ...attempt, actor: result.staff, outcome: 'ok', targetId: result.staff.id });
      return result;
    } catch (error) {
      // A wrong email or password, or a disabled account: who tried, from where.
      if (error instanceof UnauthorizedException) await this.audit.record({ ...attempt, actor: null, outcome: 'failed' });
      throw error;
    }
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentStaff() staff: StaffUser) {
    return { id: staff.id, email: staff.email, displayName: staff.displayName, role: staff.role };
  }
}
