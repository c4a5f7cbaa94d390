import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class EditAttributesDto {
  @ApiProperty({
    example: { policyNumber: 'P-2024-118', claimType: 'Home' },
    description:
      'Attributes to set; an empty value removes one. Names as pre-chat fields, values up to 500 characters.',
  })
  @IsObject()
  attributes: Record<string, unknown>;
}
