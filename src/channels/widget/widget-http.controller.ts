import {
  Controller,
  ForbiddenException,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Options,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AttachmentsService } from '../../attachments/attachments.service.js';
import { contentDisposition } from '../../attachments/domain/file-name.js';
import { Public } from '../../auth/staff-auth.guard.js';
import { CustomerHistoryService } from '../../conversations/customer-history.service.js';
import { RateLimitService } from '../../rate-limit/rate-limit.service.js';
import type { WidgetConfig } from '../../realtime/contracts/widget-config.js';
import { isAllowedOrigin } from '../../sites/domain/prechat.js';
import { widgetConfig } from '../../sites/domain/widget-config.js';
import type { Site } from '../../sites/site.entity.js';
import { SitesService } from '../../sites/sites.service.js';
import { VisitorSessionService } from './visitor-session.service.js';

const CORS_METHODS = 'GET, POST, OPTIONS';
const CORS_HEADERS = 'Authorization, Content-Type, X-File-Name';

/**
 * The widget's HTTP side, called from the customer's browser on the host site: its configuration, file
 * uploads and the transcript download. Answers carry CORS headers for the site's allowed origins only,
 * and a request from any other origin is refused.
 */
@ApiExcludeController()
@Public()
@Controller('widget')
export class WidgetHttpController {
  constructor(
    private readonly sites: SitesService,
    private readonly sessions: VisitorSessionService,
    private readonly attachments: AttachmentsService,
    private readonly history: CustomerHistoryService,
    private readonly limits: RateLimitService,
  ) {}

  @Get('config/:siteKey')
  async config(
    @Param('siteKey') siteKey: string,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WidgetConfig> {
    const site = siteKey.length <= 100 ? await this.sites.findByKey(siteKey) : null;
    if (!site) throw new NotFoundException('Unknown site key');
    allowOrigin(site, origin, response);
    response.setHeader('Cache-Control', 'no-cache');
    return widgetConfig(site, this.attachments.limits);
  }

  @Options(['conversations/:id/attachments', 'conversations/:id/transcript'])
  @HttpCode(204)
  async preflight(
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    // A preflight carries no token: the conversation's site says which origins may call.
    const site = await this.sites.forConversation(id);
    if (!site) throw new NotFoundException('No such conversation');
    allowOrigin(site, origin, response);
    response.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
    response.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
    response.setHeader('Access-Control-Max-Age', '600');
  }

  @Post('conversations/:id/attachments')
  async upload(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const visitor = await this.sessions.fromBearer(request.headers.authorization);
    allowOrigin(visitor.site, request.headers.origin, response);
    await this.limits.consume('visitorUpload', visitor.visitorId);
    await this.limits.consume(
      'visitorUploadIp',
      this.limits.clientAddress({ address: request.socket.remoteAddress ?? '', headers: request.headers }),
    );
    const actor = { kind: 'customer' as const, contactId: visitor.contactId, siteId: visitor.site.id };
    return { attachment: await this.attachments.upload(actor, id, request) };
  }

  @Get('conversations/:id/transcript')
  async transcript(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const visitor = await this.sessions.fromBearer(request.headers.authorization);
    allowOrigin(visitor.site, request.headers.origin, response);
    const actor = { kind: 'customer' as const, contactId: visitor.contactId, siteId: visitor.site.id };
    const text = await this.history.transcriptText(actor, id, visitor.site.name);
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.setHeader('Content-Disposition', contentDisposition('attachment', `transcript-${id}.txt`));
    response.setHeader('Cache-Control', 'no-store');
    return text;
  }
}

/** Refuses a browser on another origin; for an allowed one, says so in CORS headers. */
function allowOrigin(site: Site, origin: string | undefined, response: Response): void {
  response.setHeader('Vary', 'Origin');
  if (origin === undefined) return;
  if (!isAllowedOrigin(site.allowedOrigins, origin)) {
    throw new ForbiddenException(`Origin ${origin} is not allowed for this site`);
  }
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Expose-Headers', 'Content-Disposition');
}
