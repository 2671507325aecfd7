// The header's notifications: a button with the unread count opening the newest ones, each of
// which can be marked read and, where the app has a screen for what it is about, opened. Titles
// are the API's own, free of personal data.
import { useState } from 'react';
import { Anchor, Badge, Button, Group, Popover, ScrollArea, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWrite } from '../api/mutate';
import { useFormat } from '../i18n/format';
import { ErrorNote, Loading } from './Page';
import { useMe } from '../auth/AuthContext';
import { notificationRoute, UNREAD_PAGE, unreadCount } from './notifications';

export function Notifications() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const [opened, setOpened] = useState(false);
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { unread: true, limit: UNREAD_PAGE } } })),
    refetchInterval: 60_000,
  });
  const list = useQuery({
    queryKey: ['notifications', 'list'],
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 20 } } })),
  });
  const markRead = useWrite(
    (id: string) => unwrap(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    [['notifications']],
  );
  const count = unreadCount(unread.data);
  return (
    <Popover width={340} position="bottom-end" shadow="md" withinPortal trapFocus opened={opened} onChange={setOpened} onOpen={() => void list.refetch()}>
      <Popover.Target>
        <Button
          onClick={() => setOpened((o) => !o)}
          size="xs"
          variant="default"
          rightSection={
            <>
              <Badge size="sm" variant={count === '0' ? 'light' : 'filled'}>
                {count}
              </Badge>
              <VisuallyHidden>{` ${t('account.unread')}`}</VisuallyHidden>
            </>
          }
        >
          {t('account.notifications')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="region" aria-labelledby="notifications-title">
          <Title order={2} size="h5" id="notifications-title">
            {t('account.notifications')}
          </Title>
          {list.isPending ? (
            <Loading />
          ) : list.error || !list.data ? (
            <ErrorNote error={list.error} />
          ) : list.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('account.no_notifications')}
            </Text>
          ) : (
            <ScrollArea.Autosize mah={360}>
              <Stack gap="xs" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {list.data.items.map((n) => {
                  const route = notificationRoute(n.link, me.permissions);
                  return (
                  <li key={n.id} data-testid="notification">
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <div style={{ flex: 1, minWidth: 0 }}>
                        {route ? (
                          <Anchor component={Link} to={route} size="sm" fw={n.read_at ? 400 : 700} onClick={() => setOpened(false)}>
                            {n.title}
                          </Anchor>
                        ) : (
                          <Text size="sm" fw={n.read_at ? 400 : 700}>
                            {n.title}
                          </Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {fmt.date(n.created_at)}
                          {n.read_at ? ` · ${t('account.read')}` : ` · ${t('account.unread')}`}
                        </Text>
                      </div>
                      {!n.read_at && (
                        <Button size="compact-xs" variant="light" style={{ flexShrink: 0 }} loading={markRead.isPending && markRead.variables === n.id} onClick={() => markRead.mutate(n.id)}>
                          {t('account.mark_read')}
                        </Button>
                      )}
                    </Group>
                  </li>
                  );
                })}
              </Stack>
            </ScrollArea.Autosize>
          )}
          {markRead.isError && <ErrorNote error={markRead.error} />}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
