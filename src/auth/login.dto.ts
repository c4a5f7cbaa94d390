import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'agent1@demo.switchboard.local' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'agent-demo-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}
