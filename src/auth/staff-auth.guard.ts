import {
  ForbiddenException,
  Injectable,
  SetMetadata,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService } from './auth.service.js';
import type { StaffRole, StaffUser } from './staff-user.entity.js';

const PUBLIC_KEY = 'switchboard:public';
const ROLES_KEY = 'switchboard:roles';

/** The route needs no staff token (login, health, docs, widget config). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route. Without it any signed-in staff member may. */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES_KEY, roles);

type StaffRequest = Request & { staff?: StaffUser };

export const CurrentStaff = createParamDecorator((_: unknown, ctx: ExecutionContext): StaffUser => {
  const staff = ctx.switchToHttp().getRequest<StaffRequest>().staff;
  if (!staff) throw new ForbiddenException();
  return staff;
});

/** Registered for every HTTP route: a bearer token is required unless the route is @Public(). */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<StaffRequest>();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    request.staff = await this.auth.authenticate(bearer?.[1]);

    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(request.staff.role)) {
      throw new ForbiddenException(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
