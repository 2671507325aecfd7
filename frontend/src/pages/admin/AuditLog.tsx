import { useState } from 'react';
import { SimpleGrid, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useFormat } from '../../i18n/format';

export default function AuditLog() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [action, setAction] = useState('');
  const events = useQuery({
    queryKey: ['audit', action],
    queryFn: () => unwrap(api.GET('/api/v1/audit-events', { params: { query: { limit: 100, ...(action.trim() ? { action: action.trim() } : {}) } } })),
  });
  return (
    <Page title={t('nav.audit')}>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label={t('audit.action')} description={t('audit.action_hint')} value={action} onChange={(e) => setAction(e.currentTarget.value)} />
      </SimpleGrid>
      <ListCard
        id="audit-title"
        title={t('audit.title')}
        query={events}
        columns={[
          { header: t('audit.when'), cell: (e) => fmt.dateTime(e.occurred_at) },
          { header: t('audit.action'), cell: (e) => e.action },
          { header: t('audit.outcome'), cell: (e) => e.outcome },
          { header: t('audit.actor'), cell: (e) => e.actor_kind },
          { header: t('audit.target'), cell: (e) => e.target_type ?? '—' },
          { header: t('audit.chained'), cell: (e) => (e.chain ? t('common.yes') : t('common.no')) },
        ]}
      />
    </Page>
  );
}
