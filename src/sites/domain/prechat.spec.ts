import type { PrechatField } from '../site.entity.js';
import { isAllowedOrigin, normaliseOrigin, validatePrechat } from './prechat.js';

const name: PrechatField = { name: 'name', label: 'Name', type: 'text', required: true };
const policy: PrechatField = {
  name: 'policyNumber',
  label: 'Policy number',
  type: 'text',
  required: true,
  maxLength: 20,
};
const email: PrechatField = { name: 'email', label: 'Email', type: 'email', required: false };
const phone: PrechatField = { name: 'phone', label: 'Phone', type: 'tel', required: false };
const born: PrechatField = { name: 'birthDate', label: 'Date of birth', type: 'date', required: false };
const claimType: PrechatField = {
  name: 'claimType',
  label: 'Claim type',
  type: 'select',
  required: false,
  options: ['Car', 'Home'],
};
const notes: PrechatField = { name: 'notes', label: 'Notes', type: 'textarea', required: false };

const form = [name, policy, email, phone, born, claimType, notes];

/** The errors for answers that are expected to be refused. */
function refused(fields: PrechatField[], answers: Record<string, unknown>): string[] {
  const result = validatePrechat(fields, answers);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.values)}`);
  return result.errors;
}

function accepted(fields: PrechatField[], answers: Record<string, unknown>): Record<string, string> {
  const result = validatePrechat(fields, answers);
  if (!result.ok) throw new Error(`expected acceptance, got ${result.errors.join('; ')}`);
  return result.values;
}

describe('validatePrechat', () => {
  it('accepts a complete, valid form and returns exactly the answered fields', () => {
    expect(
      accepted(form, {
        name: 'Maria Lopez',
        policyNumber: 'POL-123',
        email: 'maria@example.com',
        phone: '+34 600 123 456',
        birthDate: '1985-07-14',
        claimType: 'Home',
        notes: 'Water in the kitchen',
      }),
    ).toEqual({
      name: 'Maria Lopez',
      policyNumber: 'POL-123',
      email: 'maria@example.com',
      phone: '+34 600 123 456',
      birthDate: '1985-07-14',
      claimType: 'Home',
      notes: 'Water in the kitchen',
    });
  });

  it('leaves unanswered optional fields out', () => {
    expect(accepted(form, { name: 'Maria', policyNumber: 'P1', email: '', phone: null })).toEqual({
      name: 'Maria',
      policyNumber: 'P1',
    });
  });

  it('accepts an empty form when no field is required, and a site without a form', () => {
    expect(accepted([email, notes], {})).toEqual({});
    expect(accepted([], {})).toEqual({});
  });

  describe('required fields', () => {
    it.each([
      ['missing', {}],
      ['null', { name: null }],
      ['empty', { name: '' }],
    ])('refuses a required field that is %s, naming it by its label', (_, answers) => {
      expect(refused([name], answers)).toEqual(['Name is required']);
    });

    it('refuses a required field answered with spaces only', () => {
      expect(refused([name], { name: '   ' })).toEqual(['Name is required']);
    });

    it('reports every problem at once', () => {
      expect(refused(form, { email: 'nope' })).toEqual([
        'Name is required',
        'Policy number is required',
        'Email must be an email address',
      ]);
    });
  });

  describe('fields that are not on the form', () => {
    it('refuses them rather than silently storing or dropping them', () => {
      expect(refused([name], { name: 'Maria', isVip: 'yes' })).toEqual(['isVip is not a field of this form']);
    });

    it('refuses them even when the form has no fields', () => {
      expect(refused([], { priority: '100' })).toEqual(['priority is not a field of this form']);
    });

    it('refuses an own __proto__ key as it arrives from JSON', () => {
      const answers = JSON.parse('{"name":"Maria","__proto__":{"polluted":"yes"}}') as Record<
        string,
        unknown
      >;
      expect(refused([name], answers)).toEqual(['__proto__ is not a field of this form']);
    });
  });

  describe('values that are not text', () => {
    it.each([
      ['a number', 12345],
      ['a boolean', true],
      ['an object', { first: 'Maria' }],
      ['an array', ['Maria']],
    ])('refuses %s', (_, value) => {
      expect(refused([name], { name: value })).toEqual(['Name must be text']);
    });
  });

  describe('trimming and length', () => {
    it('stores answers without surrounding whitespace', () => {
      expect(accepted([name, claimType], { name: '  Maria Lopez \n', claimType: ' Car ' })).toEqual({
        name: 'Maria Lopez',
        claimType: 'Car',
      });
    });

    it("enforces the field's maxLength on the trimmed value", () => {
      expect(accepted([policy], { policyNumber: 'P'.repeat(20) })).toEqual({ policyNumber: 'P'.repeat(20) });
      expect(accepted([policy], { policyNumber: `  ${'P'.repeat(20)}  ` })).toEqual({
        policyNumber: 'P'.repeat(20),
      });
      expect(refused([policy], { policyNumber: 'P'.repeat(21) })).toEqual(['Policy number is too long']);
    });

    it('limits fields without a maxLength to 500 characters', () => {
      expect(accepted([notes], { notes: 'x'.repeat(500) })).toEqual({ notes: 'x'.repeat(500) });
      expect(refused([notes], { notes: 'x'.repeat(501) })).toEqual(['Notes is too long']);
    });
  });

  describe('email', () => {
    it.each(['maria@example.com', 'maria.lopez+claims@mail.example.co.uk'])('accepts %s', (value) => {
      expect(accepted([email], { email: value })).toEqual({ email: value });
    });

    it.each(['maria', 'maria@', '@example.com', 'maria@example', 'maria lopez@example.com', 'a@b@c.com'])(
      'refuses %s',
      (value) => {
        expect(refused([email], { email: value })).toEqual(['Email must be an email address']);
      },
    );
  });

  describe('date', () => {
    it.each(['1985-07-14', '2024-02-29'])('accepts %s', (value) => {
      expect(accepted([born], { birthDate: value })).toEqual({ birthDate: value });
    });

    it.each(['14/07/1985', '1985-7-14', '1985-07-14T10:00:00Z', 'yesterday', '1985-13-01', '1985-12-32'])(
      'refuses %s',
      (value) => {
        expect(refused([born], { birthDate: value })).toEqual(['Date of birth must be a date (YYYY-MM-DD)']);
      },
    );

    it.each(['2023-02-29', '2024-02-30', '2024-04-31'])(
      'refuses the impossible calendar date %s',
      (value) => {
        expect(refused([born], { birthDate: value })).toEqual(['Date of birth must be a date (YYYY-MM-DD)']);
      },
    );
  });

  describe('tel', () => {
    it.each(['+34 600 123 456', '(555) 010-9999', '600123456'])('accepts %s', (value) => {
      expect(accepted([phone], { phone: value })).toEqual({ phone: value });
    });

    it.each(['call me', '12', '+34 600 123 456 ext. 7', '1'.repeat(31)])('refuses %s', (value) => {
      expect(refused([phone], { phone: value })).toEqual(['Phone must be a phone number']);
    });
  });

  describe('select', () => {
    it('accepts one of the options exactly', () => {
      expect(accepted([claimType], { claimType: 'Car' })).toEqual({ claimType: 'Car' });
    });

    it.each(['Boat', 'car', 'Car, Home'])('refuses %s and lists the choices', (value) => {
      expect(refused([claimType], { claimType: value })).toEqual(['Claim type must be one of: Car, Home']);
    });

    it('refuses any answer to a select without options', () => {
      const broken: PrechatField = { name: 'kind', label: 'Kind', type: 'select', required: false };
      expect(refused([broken], { kind: 'anything' })).toEqual([
        expect.stringMatching(/^Kind must be one of/),
      ]);
    });
  });
});

describe('origins', () => {
  it('normalises case, surrounding whitespace and trailing slashes', () => {
    expect(normaliseOrigin(' HTTPS://WWW.Acme-Insurance.example/ ')).toBe(
      'https://www.acme-insurance.example',
    );
    expect(normaliseOrigin('http://localhost:8080//')).toBe('http://localhost:8080');
  });

  const allowed = ['https://www.acme-insurance.example', 'http://localhost:8080/'];

  it.each([
    'https://www.acme-insurance.example',
    'HTTPS://WWW.ACME-INSURANCE.EXAMPLE',
    'http://localhost:8080',
  ])('allows %s', (origin) => {
    expect(isAllowedOrigin(allowed, origin)).toBe(true);
  });

  it.each([
    ['another scheme', 'http://www.acme-insurance.example'],
    ['another port', 'http://localhost:3000'],
    ['a subdomain', 'https://evil.www.acme-insurance.example'],
    ['a lookalike suffix', 'https://www.acme-insurance.example.evil.test'],
    ['a prefix of an allowed origin', 'https://www.acme-insurance.ex'],
    ['the opaque origin of a sandboxed frame', 'null'],
    ['an empty header', ''],
  ])('refuses %s', (_, origin) => {
    expect(isAllowedOrigin(allowed, origin)).toBe(false);
  });

  it('refuses a request without an Origin, and everything when the allowlist is empty', () => {
    expect(isAllowedOrigin(allowed, undefined)).toBe(false);
    expect(isAllowedOrigin([], 'https://www.acme-insurance.example')).toBe(false);
  });
});
