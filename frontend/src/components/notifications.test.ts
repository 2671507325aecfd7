import { unreadCount } from './notifications';

const item = (read: boolean) => ({
  id: crypto.randomUUID(),
  kind: 'incident.serious',
  title: 'Security incident (high) at a shelter',
  link: '/api/v1/incidents/x',
  created_at: '2026-11-27T22:40:00Z',
  read_at: read ? '2026-11-28T08:00:00Z' : null,
});

describe('unread notifications count', () => {
  it('counts the unread ones of the page', () => {
    expect(unreadCount(undefined)).toBe('0');
    expect(unreadCount({ items: [] })).toBe('0');
    expect(unreadCount({ items: [item(false), item(true), item(false)], next_cursor: null })).toBe('2');
  });

  it('says there are more when another page follows', () => {
    expect(unreadCount({ items: [item(false)], next_cursor: 'abc' })).toBe('1+');
  });
});
