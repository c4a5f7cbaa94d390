import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const FIELD_TYPES = ['text', 'email', 'tel', 'date', 'select', 'textarea'] as const;

export class PrechatFieldDto {
  @ApiProperty({ example: 'policyNumber' })
  @Matches(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, { message: 'name is an identifier (letters, digits, _)' })
  name: string;

  @ApiProperty({ example: 'Policy number' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  label: string;

  @ApiProperty({ enum: FIELD_TYPES })
  @IsIn(FIELD_TYPES)
  type: (typeof FIELD_TYPES)[number];

  @ApiProperty()
  @IsBoolean()
  required: boolean;

  @ApiPropertyOptional({ type: [String], example: ['Car', 'Home', 'Travel'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  options?: string[];

  @ApiPropertyOptional({ example: 200 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2000)
  maxLength?: number;
}

export class CreateSiteDto {
  @ApiProperty({ example: 'Acme Insurance website' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ type: [String], example: ['https://www.acme-insurance.example'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, {
    each: true,
    message: 'allowed origins are scheme://host[:port], lower-case, without a path',
  })
  allowedOrigins: string[];

  @ApiProperty()
  @IsUUID()
  defaultQueueId: string;

  @ApiPropertyOptional({ type: [PrechatFieldDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PrechatFieldDto)
  prechatFields?: PrechatFieldDto[];
}

export class UpdateSiteDto extends PartialType(CreateSiteDto) {}
