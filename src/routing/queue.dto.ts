import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ROUTING_STRATEGIES, type RoutingStrategy } from './domain/routing-types.js';

export class CreateQueueDto {
  @ApiProperty({ example: 'Claims' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name: string;

  @ApiPropertyOptional({ enum: ROUTING_STRATEGIES, default: 'longest_idle' })
  @IsOptional()
  @IsIn(ROUTING_STRATEGIES)
  strategy?: RoutingStrategy;

  @ApiPropertyOptional({ type: [String], example: ['claims'], description: 'Skills an agent must have' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/, { each: true, message: 'skills are lower-case words (a-z, 0-9, _ or -)' })
  requiredSkills?: string[];

  @ApiPropertyOptional({ example: 60, description: 'Answer target in seconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  slaTargetSeconds?: number;

  @ApiPropertyOptional({ example: 0, description: 'Higher is served first by agents in several queues' })
  @IsOptional()
  @IsInt()
  @Min(-100)
  @Max(100)
  priority?: number;
}

export class UpdateQueueDto extends PartialType(CreateQueueDto) {}
