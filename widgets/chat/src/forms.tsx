import { useEffect, useRef, useState } from 'preact/hooks';
import type { PrechatField } from '../../../src/realtime/contracts/widget-config.js';
import type { Translate } from './i18n.js';
import { validateField } from './prechat-rules.js';

interface FieldsFormProps {
  idPrefix: string;
  fields: PrechatField[];
  initial: Record<string, string>;
  submitLabel: string;
  serverError: string | null;
  disabled: boolean;
  t: Translate;
  onSubmit: (answers: Record<string, string>) => Promise<void> | void;
}

/** A form built from field descriptions: errors per field, focus to the first one, the server's error too. */
export function FieldsForm({
  idPrefix,
  fields,
  initial,
  submitLabel,
  serverError,
  disabled,
  t,
  onSubmit,
}: FieldsFormProps) {
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...initial }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const initialKey = JSON.stringify(initial);
  useEffect(() => {
    // Answers the host page supplies later fill the fields the customer has not touched.
    setValues((current) => {
      const next = { ...current };
      for (const [name, value] of Object.entries(initial)) if (!next[name]) next[name] = value;
      return next;
    });
  }, [initialKey]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const field of fields) {
      const error = validateField(field, values[field.name] ?? '', t);
      if (error) found[field.name] = error;
    }
    setErrors(found);
    const first = fields.find((f) => found[f.name]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`#${idPrefix}-${first.name}`)?.focus();
      return;
    }
    const answers: Record<string, string> = {};
    for (const field of fields) {
      const value = (values[field.name] ?? '').trim();
      if (value !== '') answers[field.name] = value;
    }
    setBusy(true);
    try {
      await onSubmit(answers);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" ref={formRef} noValidate onSubmit={(e) => void submit(e)}>
      {fields.map((field) => {
        const id = `${idPrefix}-${field.name}`;
        const error = errors[field.name];
        const common = {
          id,
          name: field.name,
          'aria-invalid': error ? ('true' as const) : ('false' as const),
          'aria-describedby': error ? `${id}-error` : undefined,
          'aria-required': field.required,
          maxLength: field.maxLength ?? 500,
          value: values[field.name] ?? '',
          onInput: (e: Event) =>
            setValues({ ...values, [field.name]: (e.currentTarget as HTMLInputElement).value }),
        };
        return (
          <div class="field" key={field.name}>
            <label for={id}>
              {field.label}
              {field.required ? <span aria-hidden="true"> *</span> : null}
            </label>
            {field.type === 'select' ? (
              <select {...common}>
                <option value="">{t('choose')}</option>
                {(field.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : field.type === 'textarea' ? (
              <textarea rows={4} {...common} />
            ) : (
              <input
                {...({ ...common, type: field.type, autoComplete: autocomplete(field) } as Record<
                  string,
                  unknown
                >)}
              />
            )}
            {error ? (
              <p class="field-error" id={`${id}-error`}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      {serverError ? (
        <p class="form-error" role="alert">
          {serverError}
        </p>
      ) : null}
      <button type="submit" class="primary-btn" disabled={disabled || busy}>
        {submitLabel}
      </button>
    </form>
  );
}

function autocomplete(field: PrechatField): string {
  if (field.type === 'email') return 'email';
  if (field.type === 'tel') return 'tel';
  if (field.name === 'name') return 'name';
  return 'off';
}

interface RatingProps {
  t: Translate;
  onRate: (score: number, comment: string) => Promise<boolean>;
}

export function RatingForm({ t, onRate }: RatingProps) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (score === 0) return;
    setBusy(true);
    try {
      await onRate(score, comment);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={(e) => void submit(e)}>
      <fieldset class="stars">
        <legend>{t('rate')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n}>
            <input
              type="radio"
              name="score"
              value={String(n)}
              checked={score === n}
              onChange={() => setScore(n)}
              aria-label={t('stars', { n })}
            />
            <span aria-hidden="true">{n}★</span>
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="sb-rating-comment">{t('comment')}</label>
        <textarea
          id="sb-rating-comment"
          rows={2}
          maxLength={1000}
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="primary-btn" disabled={score === 0 || busy}>
        {t('submitRating')}
      </button>
    </form>
  );
}
