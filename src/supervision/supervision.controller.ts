import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/staff-auth.guard.js';
import type { SupervisorSnapshot } from '../realtime/contracts/supervisor.events.js';
import { SupervisionService } from './supervision.service.js';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  /** The same numbers the `/supervisor` namespace pushes, for a one-off read. */
  @Roles('supervisor', 'admin')
  @Get('queues')
  queues(): Promise<SupervisorSnapshot> {
    return this.supervision.snapshot(new Date());
  }
}
