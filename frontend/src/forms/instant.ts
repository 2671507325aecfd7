// `datetime-local` inputs hold a wall-clock time of the browser's zone; the API speaks RFC 3339.
// `date` inputs and the API's calendar dates (`2026-12-10`) are days, the same everywhere.

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar date (`YYYY-MM-DD`) of `at` in the browser's time zone, `days` later: the day the
 * person at the screen lives in, not Greenwich's (`toISOString` would give that one). */
export function localDate(at: Date = new Date(), days = 0): string {
  const d = new Date(at.getFullYear(), at.getMonth(), at.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The API's instant for a `datetime-local` value read in the browser's time zone. */
export function toInstant(local: string): string {
  return new Date(local).toISOString();
}

/** A `datetime-local` value (browser's zone, to the minute) for an API instant. */
export function toLocalInput(instant: string): string {
  const d = new Date(instant);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
