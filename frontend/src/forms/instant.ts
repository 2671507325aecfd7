// `datetime-local` inputs hold a wall-clock time of the browser's zone; the API speaks RFC 3339.

/** The API's instant for a `datetime-local` value read in the browser's time zone. */
export function toInstant(local: string): string {
  return new Date(local).toISOString();
}

/** A `datetime-local` value (browser's zone, to the minute) for an API instant. */
export function toLocalInput(instant: string): string {
  const d = new Date(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
