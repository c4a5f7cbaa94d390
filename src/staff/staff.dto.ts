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
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../auth/staff-user.entity.js';

@ValidatorConstraint({ name: 'skillLevels' })
class SkillLevels implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value);
    return (
      entries.length <= 50 &&
      entries.every(([k, v]) => /^[a-z0-9][a-z0-9_-]{0,39}$/.test(k) && Number.isInteger(v) && v >= 1 && v <= 5)
    );
  }
  defaultMessage(): string {
    return 'skills maps lower-case skill names to a level from 1 to 5';
  }
}

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
