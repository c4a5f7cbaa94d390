import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoutingModule } from '../routing/routing.module.js';
import { StaffAdminController } from './staff-admin.controller.js';

@Module({ imports: [AuthModule, RoutingModule], controllers: [StaffAdminController] })
export class StaffModule {}
