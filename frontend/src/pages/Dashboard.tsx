import { Anchor, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useSheltersWithOccupancy } from '../api/queries';
import { useAuth, useMe } from '../auth/AuthContext';
import { MarkDone } from '../components/MarkDone';
import { Page, QueryState } from '../components/Page';
import { useEnumLabel } from '../components/EnumLabel';
import { useFormat } from '../i18n/format';

import { STAGES } from '../vocab';
import { localDate } from '../forms/instant';

function Occupancy() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { shelters, occupancy } = useSheltersWithOccupancy();
  return (
    <Card withBorder component="section" aria-labelledby="dash-occupancy">
      <Title order={2} size="h4" id="dash-occupancy" mb="sm">
        {t('dashboard.occupancy')}
      </Title>
      <QueryState query={shelters}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">{t('common.none')}</Text>
          ) : (
            <Stack gap="sm">
              {page.items.map((s, i) => {
                const o = occupancy[i]?.data;
                const used = o ? o.beds_occupied + o.beds_reserved : 0;
                const total = o ? Math.max(o.beds_total - o.beds_out_of_service, 0) : 0;
                return (
                  <div key={s.id}>
                    <Group justify="space-between">
                      <Anchor component={Link} to={`/shelters/${s.id}`}>
                        {s.name}
                      </Anchor>
                      <Text size="sm">
                        {o ? t('dashboard.beds_free', { free: fmt.number(o.beds_free), total: fmt.number(total) }) : '…'}
                      </Text>
                    </Group>
                    <Progress
                      value={total ? (used / total) * 100 : 0}
                      aria-label={t('dashboard.occupancy_of', { name: s.name })}
                    />
                  </div>
                );
              })}
            </Stack>
          )
        }
      </QueryState>
    </Card>
  );
}

function CasesByStage() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const cases = useQuery({
    queryKey: ['cases', 'all-for-dashboard'],
    queryFn: () => unwrap(api.GET('/api/v1/cases', { params: { query: { limit: 200 } } })),
  });
  return (
    <Card withBorder component="section" aria-labelledby="dash-stages">
      <Title order={2} size="h4" id="dash-stages" mb="sm">
        {t('dashboard.cases_by_stage')}
      </Title>
      <QueryState query={cases}>
        {(page) => {
          const counts = STAGES.map((stage) => ({ stage, n: page.items.filter((c) => c.stage === stage).length }));
          const max = Math.max(1, ...counts.map((c) => c.n));
          return (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('cases.stage')}</Table.Th>
                  <Table.Th>{t('dashboard.count')}</Table.Th>
                  <Table.Th aria-hidden />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {counts.map(({ stage, n }) => (
                  <Table.Tr key={stage}>
                    <Table.Td>{label('Stage', stage)}</Table.Td>
                    <Table.Td>{fmt.number(n)}</Table.Td>
                    <Table.Td w="50%" aria-hidden>
                      <Progress value={(n / max) * 100} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          );
        }}
      </QueryState>
    </Card>
  );
}

function Deadlines() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const soon = localDate(new Date(), 30);
  const deadlines = useQuery({
    queryKey: ['deadlines', 'upcoming', soon],
    queryFn: () => unwrap(api.GET('/api/v1/deadlines', { params: { query: { status: 'open', due_before: soon, limit: 10 } } })),
  });
  return (
    <Card withBorder component="section" aria-labelledby="dash-deadlines">
      <Title order={2} size="h4" id="dash-deadlines" mb="sm">
        {t('dashboard.deadlines')}
      </Title>
      <QueryState query={deadlines}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">{t('dashboard.no_deadlines')}</Text>
          ) : (
            <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {page.items.map((d) => (
                <Group key={d.id} component="li" justify="space-between" wrap="nowrap">
                  <Anchor component={Link} to={`/cases/${d.case_id}`}>
                    {d.title}
                  </Anchor>
                  <Text size="sm">{fmt.date(d.due_on)}</Text>
                </Group>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Card>
  );
}

function MyTasks() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const tasks = useQuery({
    queryKey: ['tasks', 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/tasks', { params: { query: { assignee: 'me', status: 'open', limit: 10 } } })),
  });
  return (
    <Card withBorder component="section" aria-labelledby="dash-tasks">
      <Title order={2} size="h4" id="dash-tasks" mb="sm">
        {t('dashboard.my_tasks')}
      </Title>
      <QueryState query={tasks}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">{t('dashboard.no_tasks')}</Text>
          ) : (
            <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {page.items.map((task) => (
                <Group key={task.id} component="li" justify="space-between" wrap="nowrap">
                  {task.case_id ? (
                    <Anchor component={Link} to={`/cases/${task.case_id}`}>
                      {task.title}
                    </Anchor>
                  ) : (
                    <Text>{task.title}</Text>
                  )}
                  <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
                    <Text size="sm">{fmt.dateTime(task.due_at)}</Text>
                    <MarkDone task={task} />
                  </Group>
                </Group>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Card>
  );
}

export default function Dashboard() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const works = can('cases.work') || can('cases.read_all');
  return (
    <Page title={t('nav.dashboard')}>
      <Text>{t('dashboard.welcome', { name: me.name })}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {can('shelters.read') && <Occupancy />}
        {works && <CasesByStage />}
        {can('cases.work') && <Deadlines />}
        {(works || can('shelters.manage')) && <MyTasks />}
      </SimpleGrid>
    </Page>
  );
}
