import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/staff-auth.guard.js';
import { CreateSiteDto, UpdateSiteDto } from './site.dto.js';
import { SitesService } from './sites.service.js';
import { Audited } from '../audit/audited.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Roles('admin', 'supervisor')
  @Get()
  list() {
    return this.sites.list();
  }

  @Roles('admin', 'supervisor')
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.sites.get(id);
  }

  @Roles('admin')
  @Audited('site.create', 'site')
  @Post()
  create(@Body() body: CreateSiteDto) {
    return this.sites.create(body);
  }

  /** Replaces the site's identity secret and returns the new one (shown only here and on creation). */
  @Roles('admin')
  @Audited('site.rotate-identity-secret', 'site')
  @Post(':id/identity-secret')
  @HttpCode(200)
  rotateIdentitySecret(@Param('id', ParseUUIDPipe) id: string) {
    return this.sites.rotateIdentitySecret(id);
  }

  @Roles('admin')
  @Audited('site.update', 'site')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateSiteDto) {
    return this.sites.update(id, body);
  }
}
