import { Card, Stack, Text, Timeline as MTimeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useColleagues } from '../../../api/queries';
import { ListCard } from '../../../components/ListCard';
import { QueryState } from '../../../components/Page';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import type { TabProps } from './Overview';

/** Every move of the case between stages: who made it, when and why. */
function StageHistory({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const colleagues = useColleagues();
  const transitions = useQuery({
    queryKey: ['transitions', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/transitions', { params: { path: { id: caseId } } })),
  });
  const name = (id: string | null | undefined) => (id ? (colleagues.data?.items.find((c) => c.id === id)?.name ?? '—') : '—');
  return (
    <ListCard
      id="stage-history-title"
      title={t('case_records.stage_history')}
      query={transitions}
      columns={[
        { header: t('case_records.moved_at'), cell: (m) => fmt.dateTime(m.occurred_at) },
        { header: t('case_records.from_stage'), cell: (m) => (m.from ? label('Stage', m.from) : t('case_records.opened')) },
        { header: t('case_records.to_stage'), cell: (m) => label('Stage', m.to) },
        { header: t('case_records.moved_by'), cell: (m) => name(m.actor_id) },
        { header: t('cases.reason'), cell: (m) => m.reason ?? '—' },
      ]}
    />
  );
}

export default function Timeline({ caseId }: TabProps) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const entries = useQuery({
    queryKey: ['timeline', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <Stack>
      <StageHistory caseId={caseId} />
      <Card withBorder component="section" aria-labelledby="timeline-title">
        <Title order={2} size="h4" id="timeline-title" mb="sm">
          {t('cases.tabs.timeline')}
        </Title>
        <QueryState query={entries}>
          {(page) =>
            page.items.length === 0 ? (
              <Text c="dimmed">{t('common.none')}</Text>
            ) : (
              <MTimeline bulletSize={14} lineWidth={2}>
                {page.items.map((e) => (
                  <MTimeline.Item key={`${e.kind}-${e.id}`} title={i18n.exists(`timeline.${e.kind}`) ? t(`timeline.${e.kind}`) : e.kind}>
                    <Text size="sm">{e.summary}</Text>
                    <Text size="xs" c="dimmed">
                      {fmt.dateTime(e.at)}
                    </Text>
                  </MTimeline.Item>
                ))}
              </MTimeline>
            )
          }
        </QueryState>
      </Card>
    </Stack>
  );
}
