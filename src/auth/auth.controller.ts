import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResult> {
    await this.limits.consume('login', `${ip}:${body.email.toLowerCase()}`);
    return this.auth.login(body.email, body.password);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentStaff() staff: StaffUser) {
    return { id: staff.id, email: staff.email, displayName: staff.displayName, role: staff.role };
  }
}
