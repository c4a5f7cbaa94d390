import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { FirstAdmin } from './first-admin.js';
import { resolveSigningKey } from './signing-key.js';
import { StaffAuthGuard } from './staff-auth.guard.js';
import { StaffUser } from './staff-user.entity.js';
import { StaffService } from './staff.service.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([StaffUser]),
    JwtModule.registerAsync({
      inject: [DataSource, APP_CONFIG],
      useFactory: async (dataSource: DataSource, config: AppConfig) => ({
        secret: await resolveSigningKey(dataSource, config.auth.jwtSecret),
        signOptions: { algorithm: 'HS256', issuer: 'switchboard' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, FirstAdmin, StaffService, TokensService, { provide: APP_GUARD, useClass: StaffAuthGuard }],
  exports: [AuthService, StaffService, TokensService],
})
export class AuthModule {}
