import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ROUTING_STRATEGIES, type RoutingStrategy } from './domain/routing-types.js';
import { RELAXATION_MODES, type RelaxationMode } from './domain/skills.js';
import type { BusinessHours } from './domain/business-hours.js';
import type { Escalation } from './domain/sla.js';
import { BusinessHoursValid, EscalationValid } from './service-levels.validator.js';
import { SKILL_NAME, SkillLevels } from './skill-levels.validator.js';

export class RelaxationStepDto {
  @ApiProperty({ example: 60, description: 'Seconds of waiting after which this step applies' })
  @IsInt()
  @Min(0)
  @Max(86400)
  afterSeconds: number;

  @ApiProperty({ enum: RELAXATION_MODES })
  @IsIn(RELAXATION_MODES)
  mode: RelaxationMode;
}

export class SkillRequirementDto {
  @ApiProperty({ example: 'home-claims' })
  @Matches(SKILL_NAME, { message: 'skill is a lower-case word (a-z, 0-9, _ or -)' })
  skill: string;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  @Max(5)
  minLevel: number;
}

export class AnswerRuleDto {
  @ApiProperty({ example: 'claimType', description: 'A pre-chat field name' })
  @Matches(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/)
  attribute: string;

  @ApiProperty({ example: 'Home' })
  @IsString()
  @MaxLength(200)
  equals: string;

  @ApiProperty({ type: SkillRequirementDto })
  @ValidateNested()
  @Type(() => SkillRequirementDto)
  require: SkillRequirementDto;
}

export class PriorityAgingDto {
  @ApiProperty({ example: 60 })
  @IsInt()
  @Min(1)
  @Max(86400)
  everySeconds: number;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(100)
  bumpBy: number;

  @ApiProperty({ example: 5 })
  @IsInt()
  @Min(0)
  @Max(1000)
  maxBump: number;
}

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

  @ApiPropertyOptional({ example: { claims: 3 }, description: 'Preferred minimum level per required skill' })
  @IsOptional()
  @IsObject()
  @Validate(SkillLevels)
  skillLevels?: Record<string, number>;

  @ApiPropertyOptional({ type: [RelaxationStepDto], description: 'How the skill requirement loosens with waiting' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => RelaxationStepDto)
  relaxation?: RelaxationStepDto[];

  @ApiPropertyOptional({ type: [AnswerRuleDto], description: 'Pre-chat answers that add a skill requirement' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AnswerRuleDto)
  answerRules?: AnswerRuleDto[];

  @ApiPropertyOptional({ type: PriorityAgingDto, nullable: true, description: 'Priority gained while waiting' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PriorityAgingDto)
  priorityAging?: PriorityAgingDto | null;

  @ApiPropertyOptional({ example: 3600, description: 'Returning customers go to their last agent within this many seconds; 0: off' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86400)
  stickyWindowSeconds?: number;

  @ApiPropertyOptional({
    example: 20,
    nullable: true,
    description: 'Offer mode: seconds an agent has to accept an offered conversation; null or 0: assign directly',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  offerTimeoutSeconds?: number | null;

  @ApiPropertyOptional({ example: 3, description: 'Offer mode: missed offers in a row that set an agent away; 0: off' })
  @ValidateIf((_, value) => value !== undefined)
  @IsInt()
  @Min(0)
  @Max(100)
  missedOffersBeforeAway?: number;

  @ApiPropertyOptional({ example: 60, description: 'Answer target in seconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  slaTargetSeconds?: number;

  @ApiPropertyOptional({ example: 90, nullable: true, description: 'Escalate a conversation waiting this many seconds; null: never' })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(0)
  @Max(86400)
  escalateAfterSeconds?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    example: { kind: 'overflow', toQueueId: '6f1c3c1e-2b7a-4c55-9d8e-0a1b2c3d4e5f' },
    description: 'What escalation does: { kind: "priority-bump", by } or { kind: "overflow", toQueueId }',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @Validate(EscalationValid)
  escalation?: Escalation | null;

  @ApiPropertyOptional({ example: 600, nullable: true, description: 'After this wait, offline handover (leave a message); null: never' })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  @Max(7 * 86400)
  maxWaitSeconds?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    example: { timeZone: 'Europe/Madrid', weekly: { mon: [{ open: '08:00', close: '20:00' }] }, holidays: ['2026-12-25'] },
    description: 'Opening hours (local HH:mm per weekday) and holidays; null: always open',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @Validate(BusinessHoursValid)
  businessHours?: BusinessHours | null;

  @ApiPropertyOptional({ example: false, description: 'Offline mode also while no member is available and connected' })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  offlineWhenNoAgents?: boolean;

  @ApiPropertyOptional({ example: 30, nullable: true, description: "Seconds an agent's slot stays taken after a close; null: WRAP_UP_SECONDS" })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(0)
  @Max(3600)
  wrapUpSeconds?: number | null;

  @ApiPropertyOptional({ example: 0, description: 'Higher is served first by agents in several queues' })
  @IsOptional()
  @IsInt()
  @Min(-100)
  @Max(100)
  priority?: number;
}

export class UpdateQueueDto extends PartialType(CreateQueueDto) {}
