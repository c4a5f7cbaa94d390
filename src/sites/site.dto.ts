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

export class AppearanceDto {
  @ApiPropertyOptional({ example: '#1f5fbf' })
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'primaryColor is a colour as #rrggbb' })
  primaryColor?: string;

  @ApiPropertyOptional({ example: 'Report a claim' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  title?: string;

  @ApiPropertyOptional({ enum: ['right', 'left'] })
  @IsOptional()
  @IsIn(['right', 'left'])
  position?: 'right' | 'left';

  @ApiPropertyOptional({ example: 'Chat with us' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  launcherLabel?: string;
}

export class GreetingDto {
  @ApiPropertyOptional({ example: 'Hello! How can we help with your claim?' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  en?: string;

  @ApiPropertyOptional({ example: '¡Hola! ¿En qué podemos ayudarle con su siniestro?' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  es?: string;
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

  @ApiPropertyOptional({ enum: ['en', 'es'], nullable: true, description: "null: the customer's browser language" })
  @IsOptional()
  @IsIn(['en', 'es', null])
  locale?: 'en' | 'es' | null;

  @ApiPropertyOptional({ type: AppearanceDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AppearanceDto)
  appearance?: AppearanceDto;

  @ApiPropertyOptional({ type: GreetingDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GreetingDto)
  greeting?: GreetingDto;
}

export class UpdateSiteDto extends PartialType(CreateSiteDto) {}
