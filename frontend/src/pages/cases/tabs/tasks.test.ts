import { dueInstant } from './Tasks';

describe('task due dates', () => {
  it('read a datetime-local value in the browser time zone and send the instant', () => {
    expect(dueInstant('2026-12-03T09:30')).toBe(new Date(2026, 11, 3, 9, 30).toISOString());
  });
});
