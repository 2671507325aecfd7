import { notificationRoute, unreadCount } from './notifications';

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

describe('where a notification leads', () => {
  const id = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66';
  const worker = ['cases.work', 'shelters.read'];

  it('maps API paths to the screens that show them', () => {
    expect(notificationRoute(`/api/v1/cases/${id}`, worker)).toBe(`/cases/${id}`);
    expect(notificationRoute(`/api/v1/cases/${id}/transitions`, worker)).toBe(`/cases/${id}`);
    expect(notificationRoute(`/api/v1/incidents/${id}`, worker)).toBe('/incidents');
    expect(notificationRoute(`/api/v1/referrals/incoming/${id}`, ['referrals.receive'])).toBe('/referrals/incoming');
    expect(notificationRoute(`/api/v1/referrals/${id}`, worker)).toBe('/referrals/outgoing');
    expect(notificationRoute(`/api/v1/training/courses/${id}/versions/${id}`, ['training.read'])).toBe(`/training/library/${id}`);
    expect(notificationRoute(`/api/v1/tasks/${id}`, worker)).toBe('/agenda');
    expect(notificationRoute(`/api/v1/directory/organisations/${id}`, [])).toBe(`/directory/${id}`);
    expect(notificationRoute(`/api/v1/shelters/${id}/occupancy?x=1`, worker)).toBe(`/shelters/${id}`);
  });

  it('offers no link where the role may not open the screen', () => {
    expect(notificationRoute(`/api/v1/cases/${id}`, ['shelters.read'])).toBeNull();
    expect(notificationRoute(`/api/v1/referrals/incoming/${id}`, worker)).toBeNull();
    expect(notificationRoute(`/api/v1/incidents/${id}`, ['training.read'])).toBeNull();
  });

  it('offers no link for paths it does not know', () => {
    expect(notificationRoute('/api/v1/something/else', worker)).toBeNull();
    expect(notificationRoute('https://example.org/api/v1/cases/x', worker)).toBeNull();
    expect(notificationRoute('', worker)).toBeNull();
  });
});
