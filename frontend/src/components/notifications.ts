// The header's count of unread notifications.
import type { Schemas } from '../api/client';

/** How many of a page of unread notifications to count; beyond it the header says "N+". */
export const UNREAD_PAGE = 100;

/** The unread count as the header shows it: `0`…`N`, or `N+` when more pages follow. */
export function unreadCount(page: Pick<Schemas['NotificationPage'], 'items' | 'next_cursor'> | undefined): string {
  if (!page) return '0';
  const n = page.items.filter((item) => !item.read_at).length;
  return page.next_cursor ? `${n}+` : String(n);
}

const ID = '([0-9a-fA-F-]{1,64})';

/** API paths a notification may point at → the app's route that shows the thing, and the
 * permissions that route needs (any of them; none listed: every member). */
const ROUTES: Array<{ path: RegExp; route: (id: string) => string; anyOf?: string[] }> = [
  { path: new RegExp(`^/api/v1/cases/${ID}(?:/.*)?$`), route: (id) => `/cases/${id}`, anyOf: ['cases.work', 'cases.read_all'] },
  { path: /^\/api\/v1\/referrals\/incoming(?:\/.*)?$/, route: () => '/referrals/incoming', anyOf: ['referrals.receive'] },
  { path: new RegExp(`^/api/v1/referrals/${ID}(?:/.*)?$`), route: () => '/referrals/outgoing', anyOf: ['cases.work'] },
  { path: new RegExp(`^/api/v1/incidents/${ID}$`), route: () => '/incidents', anyOf: ['shelters.read'] },
  { path: new RegExp(`^/api/v1/shelters/${ID}(?:/.*)?$`), route: (id) => `/shelters/${id}`, anyOf: ['shelters.read'] },
  { path: new RegExp(`^/api/v1/directory/organisations/${ID}(?:/.*)?$`), route: (id) => `/directory/${id}` },
  { path: new RegExp(`^/api/v1/training/courses/${ID}(?:/.*)?$`), route: (id) => `/training/library/${id}`, anyOf: ['training.read'] },
  { path: new RegExp(`^/api/v1/training/sessions/${ID}$`), route: () => '/training/sessions', anyOf: ['training.read'] },
  { path: new RegExp(`^/api/v1/training/engagements/${ID}$`), route: () => '/training/engagements', anyOf: ['training.read'] },
  { path: new RegExp(`^/api/v1/(?:tasks|deadlines)/${ID}$`), route: () => '/agenda', anyOf: ['cases.work', 'cases.read_all'] },
  { path: new RegExp(`^/api/v1/erasures/${ID}$`), route: () => '/admin/erasures', anyOf: ['clients.erase'] },
  { path: new RegExp(`^/api/v1/users/${ID}$`), route: () => '/admin/users', anyOf: ['users.read'] },
];

/** The app route showing what a notification's `link` (an API path) is about, when there is one
 * the signed-in person may open; otherwise `null`. */
export function notificationRoute(link: string, permissions: readonly string[]): string | null {
  const path = link.split(/[?#]/)[0] ?? '';
  for (const { path: pattern, route, anyOf } of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    if (anyOf && !anyOf.some((p) => permissions.includes(p))) return null;
    return route(m[1] ?? '');
  }
  return null;
}
