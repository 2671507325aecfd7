import { Card, Text, Timeline as MTimeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { QueryState } from '../../../components/Page';
import { useFormat } from '../../../i18n/format';
import type { TabProps } from './Overview';

export default function Timeline({ caseId }: TabProps) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const entries = useQuery({
    queryKey: ['timeline', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
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
  );
}
