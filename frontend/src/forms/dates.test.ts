import { formatDate } from '../i18n/format';
import { localDate, toInstant, toLocalInput } from './instant';

// West of Greenwich, where midnight UTC is the evening before: the zone where reading a
// calendar date as an instant shows the wrong day. Each test file runs in its own process.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/Bogota';
});
afterAll(() => {
  process.env.TZ = zone;
});

describe('calendar dates', () => {
  it('are shown as the same day in every time zone', () => {
    expect(new Date('2026-12-10').getDate()).toBe(9); // the trap this guards against
    expect(formatDate('en-GB', '2026-12-10')).toBe('10 Dec 2026');
    expect(formatDate('en-GB', null)).toBe('—');
  });

  it('shows an instant on the day it falls in the browser’s zone', () => {
    expect(formatDate('en-GB', '2026-12-10T03:00:00Z')).toBe('9 Dec 2026');
  });

  it('default to the day the person at the screen lives in', () => {
    // 21:30 in Bogotá is already the next day in UTC.
    const evening = new Date('2026-12-10T21:30:00-05:00');
    expect(evening.toISOString().slice(0, 10)).toBe('2026-12-11');
    expect(localDate(evening)).toBe('2026-12-10');
    expect(localDate(evening, 30)).toBe('2027-01-09');
    expect(localDate(new Date('2026-12-31T12:00:00-05:00'), 1)).toBe('2027-01-01');
  });

  it('and a datetime-local default is the wall clock, not UTC’s', () => {
    expect(toLocalInput('2026-12-10T21:30:00-05:00')).toBe('2026-12-10T21:30');
    expect(toInstant('2026-12-10T21:30')).toBe('2026-12-11T02:30:00.000Z');
  });
});
