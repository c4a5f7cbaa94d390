import type { PrechatField } from '../../../src/realtime/contracts/widget-config.js';
import type { Translate } from './i18n.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TEL = /^\+?[0-9 ()-]{3,30}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The same rules the server applies to pre-chat answers, so most mistakes are caught before sending. */
export function validateField(field: PrechatField, raw: string, t: Translate): string | null {
  const value = raw.trim();
  const label = field.label;
  if (value === '')
    return field.required ? t(field.type === 'select' ? 'fieldChoice' : 'fieldRequired', { label }) : null;
  if (value.length > (field.maxLength ?? 500))
    return t('fieldTooLong', { label, max: field.maxLength ?? 500 });
  switch (field.type) {
    case 'email':
      return EMAIL.test(value) ? null : t('fieldEmail', { label });
    case 'tel':
      return TEL.test(value) ? null : t('fieldTel', { label });
    case 'date':
      return DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : t('fieldDate', { label });
    case 'select':
      return field.options?.includes(value) ? null : t('fieldChoice', { label });
    case 'text':
    case 'textarea':
      return null;
  }
}
