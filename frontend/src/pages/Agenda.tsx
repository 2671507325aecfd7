// Your agenda: your open tasks and appointments and the open deadlines of the cases you may see,
// in time order, over a chosen horizon. Titles and case codes only: nothing sealed.
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { ErrorNote, Loading, Page } from '../components/Page';
import { useFormat } from '../i18n/format';

export const HORIZONS = ['7', '30', '90', 'all'] as const;
type Horizon = (typeof HORIZONS)[number];

/** The end of a horizon of `days` days from `now`, or none. */
export function horizonEnd(horizon: Horizon, now: Date): string | undefined {
  return horizon === 'all' ? undefined : new Date(now.getTime() + Number(horizon) * 86_400_000).toISOString();
}

/** Where an agenda line is worked on: a task in the case's tasks, a deadline in its legal tab. */
/** What an agenda line is, as the Kind column names it: a task, an appointment or a deadline. */
export function agendaKind(item: Pick<Schemas['AgendaItemOut'], 'kind' | 'task_kind'>): 'task' | 'appointment' | 'deadline' {
  return item.kind === 'task' && item.task_kind === 'appointment' ? 'appointment' : item.kind;
}

export function agendaRoute(item: Pick<Schemas['AgendaItemOut'], 'kind' | 'case_id'>): string | null {
  if (!item.case_id) return null;
  return `/cases/${item.case_id}/${item.kind === 'task' ? 'tasks' : 'legal'}`;
}

export default function Agenda() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const opensCases = can('cases.work') || can('cases.read_all');
  const [horizon, setHorizon] = useState<Horizon>('30');
  const [now] = useState(() => new Date());
  const before = horizonEnd(horizon, now);
  const agenda = useInfiniteQuery({
    queryKey: ['agenda', horizon],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/agenda', { params: { query: { limit: 50, ...(before ? { due_before: before } : {}), ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = agenda.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Page title={t('agenda.title')}>
      <Text>{t('agenda.intro')}</Text>
      <Select
        maw={240}
        label={t('agenda.horizon')}
        value={horizon}
        onChange={(v) => v && setHorizon(v as Horizon)}
        data={HORIZONS.map((h) => ({ value: h, label: h === 'all' ? t('agenda.all') : t('agenda.days', { n: h }) }))}
        allowDeselect={false}
      />
      <Card withBorder component="section" aria-labelledby="agenda-list">
        <Title order={2} size="h4" id="agenda-list" mb="sm">
          {t('agenda.upcoming')}
        </Title>
        {agenda.isPending ? (
          <Loading />
        ) : agenda.error ? (
          <ErrorNote error={agenda.error} />
        ) : items.length === 0 ? (
          <Text c="dimmed">{t('agenda.empty')}</Text>
        ) : (
          <Stack>
            <Table.ScrollContainer minWidth={500}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('agenda.due')}</Table.Th>
                    <Table.Th>{t('agenda.kind')}</Table.Th>
                    <Table.Th>{t('agenda.what')}</Table.Th>
                    <Table.Th>{t('agenda.case')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((item) => {
                    const route = opensCases ? agendaRoute(item) : null;
                    return (
                      <Table.Tr key={`${item.kind}-${item.id}`} data-testid="agenda-item">
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <span>{item.kind === 'deadline' ? fmt.date(item.due) : fmt.dateTime(item.due)}</span>
                            {new Date(item.due) < now && (
                              <Badge color="red.8" variant="light">
                                {t('agenda.overdue')}
                              </Badge>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td>{t(`agenda.kinds.${agendaKind(item)}`)}</Table.Td>
                        <Table.Td>{item.title}</Table.Td>
                        <Table.Td>
                          {route && item.case_code ? (
                            <Anchor component={Link} to={route} size="sm">
                              {item.case_code}
                            </Anchor>
                          ) : (
                            (item.case_code ?? '—')
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {agenda.hasNextPage && (
              <Group>
                <Button variant="default" loading={agenda.isFetchingNextPage} onClick={() => void agenda.fetchNextPage()}>
                  {t('agenda.more')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </Card>
    </Page>
  );
}
