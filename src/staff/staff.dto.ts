import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
} from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../auth/staff-user.entity.js';
import type { ChannelCapacity } from '../routing/domain/capacity.js';
import { ChannelCapacityValid } from '../routing/service-levels.validator.js';
import { SkillLevels } from '../routing/skill-levels.validator.js';

export class CreateStaffDto {
  @ApiProperty({ example: 'ana@insurer.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Ana Pérez' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  displayName: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role: StaffRole;

  @ApiPropertyOptional({ example: 3, description: 'Conversations held at once' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  capacity?: number;

  @ApiPropertyOptional({
    example: { web: 3, im: 6 },
    nullable: true,
    description:
      'Limits per channel kind: web (live chat) and im (WhatsApp, Messenger, Telegram, SMS, XMPP, API). ' +
      'capacity stays the overall cap; given alone, capacity becomes the sum. null: capacity of anything.',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @Validate(ChannelCapacityValid)
  channelCapacity?: ChannelCapacity | null;

  @ApiPropertyOptional({ example: { claims: 3, spanish: 2 } })
  @IsOptional()
  @IsObject()
  @Validate(SkillLevels)
  skills?: Record<string, number>;

  @ApiPropertyOptional({ type: [String], description: 'Queues this person takes conversations from' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  queueIds?: string[];
}

export class UpdateStaffDto extends PartialType(OmitType(CreateStaffDto, ['email'] as const)) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
