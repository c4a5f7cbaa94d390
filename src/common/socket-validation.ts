import { ValidationPipe } from '@nestjs/common';

/** The one validation pipe for socket payloads: unknown fields and wrong types are refused. */
export const socketValidation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
});
