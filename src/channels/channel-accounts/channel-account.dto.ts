import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

export class CreateChannelAccountDto {
  @ApiProperty({ example: 'whatsapp', description: 'Connector name (GET /admin/channel-accounts/networks)' })
  @Matches(/^[a-z0-9-]{1,40}$/, { message: 'network is a connector name' })
  network: string;

  @ApiProperty({ example: 'Claims WhatsApp' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: '106540352242922', description: 'Phone number id, page id, bot id, JID, …' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalId: string;

  @ApiProperty()
  @IsUUID()
  defaultQueueId: string;

  @ApiPropertyOptional({
    description: 'Non-secret settings the connector understands',
    example: { apiVersion: 'v23.0' },
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Secrets (write-only; never returned)', example: { appSecret: '…' } })
  @IsOptional()
  @IsObject()
  secrets?: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateChannelAccountDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  defaultQueueId?: string;

  @ApiPropertyOptional({ description: 'Replaces all settings' })
  @IsOptional()
  @IsObject()
  settings?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Merged into the stored secrets; an empty string removes one' })
  @IsOptional()
  @IsObject()
  secrets?: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** What the admin API returns: settings, and which secrets are set — never their values. */
export interface ChannelAccountView {
  id: string;
  network: string;
  name: string;
  externalId: string;
  defaultQueueId: string;
  settings: Record<string, string>;
  secretsSet: string[];
  enabled: boolean;
  /** Path the provider must call: `/webhooks/<network>/<id>` (prefix it with the public URL). */
  webhookPath: string;
  createdAt: string;
}

/** A channel account as agents see it when starting a conversation (GET /workspace/channel-accounts). */
export interface StartableChannelAccount {
  id: string;
  network: string;
  name: string;
  /** How a customer's handle is written on this network, e.g. a phone number in international format. */
  handleHint: string;
}
