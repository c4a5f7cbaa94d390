import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { AVAILABILITIES, type Availability } from '../routing/domain/routing-types.js';

export class ReassignConversationDto {
  @ApiPropertyOptional({
    description: 'Hand the conversation to this agent (exactly one of agentId, queueId)',
  })
  @IsOptional()
  @IsUUID()
  agentId?: string;

  @ApiPropertyOptional({
    description: 'Send the conversation back to this queue (exactly one of agentId, queueId)',
  })
  @IsOptional()
  @IsUUID()
  queueId?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class SupervisorCloseDto {
  @ApiProperty({ example: 'duplicate', minLength: 1, maxLength: 80 })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  disposition: string;
}

export class ForceAgentStateDto {
  @ApiProperty({ enum: AVAILABILITIES })
  @IsIn(AVAILABILITIES)
  availability: Availability;
}
