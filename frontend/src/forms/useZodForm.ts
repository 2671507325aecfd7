// Form state validated by a zod schema, whose errors — the schema's own, and the API's
// problem `errors[]` after a 422 — land on the fields they name. Field names follow the API's
// field paths (`details.gender`), so a server message finds its input without a mapping table.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { isProblem } from '../api/problem';

export type FieldErrors = Record<string, string>;

/** The first message per field of a failed zod parse, keyed by dotted path. */
export function zodErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.');
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export function useZodForm<S extends z.ZodType<Record<string, unknown>>>(schema: S, initial: z.input<S>) {
  const { t, i18n } = useTranslation();
  const [values, setValues] = useState<z.input<S>>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // Whether the form-level message only points at fields the form shows: it goes once they
  // are all corrected, rather than standing until the next save.
  const [aboutShownFields, setAboutShownFields] = useState(false);
  useEffect(() => {
    if (aboutShownFields && Object.keys(errors).length === 0) {
      setFormError(null);
      setAboutShownFields(false);
    }
  }, [aboutShownFields, errors]);

  /** Message keys from the schema are translated here; the API's messages arrive in the
   * user's language already (the client sends it as `Accept-Language`). */
  const message = (raw: string) => (i18n.exists(raw) ? t(raw) : raw);

  function set<K extends keyof z.input<S>>(name: K, value: z.input<S>[K]) {
    setValues((v) => ({ ...(v as object), [name]: value }) as z.input<S>);
    setErrors((e) => {
      if (!(String(name) in e)) return e;
      const next = { ...e };
      delete next[String(name)];
      return next;
    });
  }

  function error(name: string): string | undefined {
    const raw = errors[name];
    return raw ? message(raw) : undefined;
  }

  function validate(): z.output<S> | null {
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error));
      return null;
    }
    setErrors({});
    return parsed.data;
  }

  const onSubmit = (action: (data: z.output<S>) => Promise<void>) => async (event?: FormEvent) => {
    event?.preventDefault();
    setFormError(null);
    setAboutShownFields(false);
    const data = validate();
    if (!data) return;
    setSubmitting(true);
    try {
      await action(data);
    } catch (err) {
      if (isProblem(err) && err.status === 422 && err.body?.errors?.length) {
        const fields = err.fieldErrors();
        setErrors(fields);
        // Errors on fields this form does not show are spelled out, never swallowed.
        const shown = new Set(Object.keys(initial as object));
        const other = Object.entries(fields)
          .filter(([field]) => !shown.has(field))
          .map(([field, msg]) => `${field}: ${message(msg)}`);
        setFormError([t('form.fix_fields'), ...other].join(' '));
        setAboutShownFields(other.length === 0 && Object.keys(fields).length > 0);
      } else if (isProblem(err)) {
        setFormError(message(err.body?.detail ?? err.message));
      } else {
        setFormError(t('errors.network'));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return { values, set, setValues, errors, error, setErrors, formError, setFormError, submitting, validate, onSubmit };
}
