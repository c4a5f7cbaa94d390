import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/staff-auth.guard.js';
import type { RawBodyRequest } from './raw-body.middleware.js';
import { WebhookIntakeService } from './webhook-intake.service.js';

function lowerCaseHeaders(req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** Provider webhooks: `POST /webhooks/:network/:accountId` (signed) and the GET verification handshake. */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly intake: WebhookIntakeService) {}

  @Get(':network/:accountId')
  async handshake(
    @Param('network') network: string,
    @Param('accountId') accountId: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const flat = Object.fromEntries(
      Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const answer = await this.intake.handshake(network, accountId, flat);
    res.status(answer.status).type(answer.contentType).send(answer.body);
  }

  @Post(':network/:accountId')
  @HttpCode(200)
  async receive(
    @Param('network') network: string,
    @Param('accountId') accountId: string,
    @Req() req: Request,
  ): Promise<{ received: true }> {
    const rawBody = (req as unknown as RawBodyRequest).rawBody ?? Buffer.alloc(0);
    await this.intake.receive(network, accountId, {
      rawBody,
      headers: lowerCaseHeaders(req),
      // Express honours TRUST_PROXY here: behind a proxy, the scheme and host the provider called.
      url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`,
      receivedAt: new Date(),
    });
    return { received: true };
  }
}
