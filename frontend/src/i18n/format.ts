// Dates and numbers in the user's language.
import { useTranslation } from 'react-i18next';

/** A calendar date of the API (`2026-12-10`): one day everywhere, unlike an instant. */
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `value` (an instant, or a calendar date) as a date in `locale`. A calendar date is read and
 * shown in UTC, so that it stays the same day west of Greenwich, where `new Date('2026-12-10')`
 * (midnight UTC) falls on the evening before. */
export function formatDate(locale: string, value: string | null | undefined): string {
  if (!value) return '—';
  const calendar = CALENDAR_DATE.test(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(calendar ? { timeZone: 'UTC' } : {}) }).format(new Date(value));
}

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return {
    date: (value: string | null | undefined) => formatDate(locale, value),
    dateTime: (value: string | null | undefined) =>
      value
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value))
        : '—',
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    percent: (value: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value),
  };
}
