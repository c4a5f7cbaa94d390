import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { AuthService, type LoginResult } from './auth.service.js';
import { LoginDto } from './login.dto.js';
import { CurrentStaff, Public } from './staff-auth.guard.js';
import type { StaffUser } from './staff-user.entity.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto): Promise<LoginResult> {
    return this.auth.login(body.email, body.password);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentStaff() staff: StaffUser) {
    return { id: staff.id, email: staff.email, displayName: staff.displayName, role: staff.role };
  }
}
