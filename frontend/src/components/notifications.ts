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
