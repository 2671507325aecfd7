// The organisation's audit log: filtered by action, target, actor and period, paged, and
// exported as CSV with the same filters (the export itself is audited by the API).
import { useState } from 'react';
import { Alert, Button, Group, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { download, exportFileName } from '../../api/download';
import { problemDetail } from '../../api/problem';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useFormat } from '../../i18n/format';

export interface AuditFilters {
  action: string;
  target_type: string;
  actor: string;
  from: string;
  to: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The API query of the filters: blanks left out, local dates as the instants that bound them
 * (`to` takes in the whole day). An actor that is not an id is left out and reported. */
export function auditQuery(f: AuditFilters): { query: Record<string, string>; actorInvalid: boolean } {
  const query: Record<string, string> = {};
  if (f.action.trim()) query.action = f.action.trim();
  if (f.target_type.trim()) query.target_type = f.target_type.trim();
  const actor = f.actor.trim();
  const actorInvalid = actor !== '' && !UUID.test(actor);
  if (actor && !actorInvalid) query.actor = actor;
  if (f.from) query.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) {
    const end = new Date(`${f.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    query.to = end.toISOString();
  }
  return { query, actorInvalid };
}

export default function AuditLog() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [filters, setFilters] = useState<AuditFilters>({ action: '', target_type: '', actor: '', from: '', to: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const [exportError, setExportError] = useState<string | null>(null);
  const { query, actorInvalid } = auditQuery(filters);
  const cursor = cursors[cursors.length - 1];
  const events = useQuery({
    queryKey: ['audit', query, cursor],
    queryFn: () => unwrap(api.GET('/api/v1/audit-events', { params: { query: { limit: 100, ...query, ...(cursor ? { cursor } : {}) } } })),
  });
  const set = (key: keyof AuditFilters, value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setCursors([]);
  };
  const exportCsv = async () => {
    setExportError(null);
    try {
      await download(api.GET('/api/v1/audit-events/export', { params: { query }, parseAs: 'blob' }), exportFileName(['audit', filters.from, filters.to], 'csv'));
    } catch (err) {
      setExportError(problemDetail(err, t('errors.network')));
    }
  };
  const next = events.data?.next_cursor ?? null;
  return (
    <Page
      title={t('nav.audit')}
      actions={
        <Button variant="light" onClick={() => void exportCsv()}>
          {t('audit.export')}
        </Button>
      }
    >
      <section aria-label={t('audit.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
          <TextInput label={t('audit.action')} description={t('audit.action_hint')} value={filters.action} maxLength={64} onChange={(e) => set('action', e.currentTarget.value)} />
          <TextInput label={t('audit.target')} description={t('audit.target_hint')} value={filters.target_type} maxLength={32} onChange={(e) => set('target_type', e.currentTarget.value)} />
          <TextInput
            label={t('audit.actor_id')}
            description={t('audit.actor_hint')}
            value={filters.actor}
            onChange={(e) => set('actor', e.currentTarget.value)}
            error={actorInvalid ? t('audit.actor_invalid') : undefined}
          />
          <TextInput type="date" label={t('reports.from')} value={filters.from} onChange={(e) => set('from', e.currentTarget.value)} />
          <TextInput type="date" label={t('reports.to')} value={filters.to} onChange={(e) => set('to', e.currentTarget.value)} />
        </SimpleGrid>
      </section>
      {exportError && (
        <Alert color="red" role="alert">
          {exportError}
        </Alert>
      )}
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
      <Group>
        <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('audit.previous')}
        </Button>
        <Button variant="default" disabled={!next} onClick={() => next && setCursors((c) => [...c, next])}>
          {t('audit.next')}
        </Button>
        <Text size="sm" c="dimmed">
          {t('audit.page', { page: cursors.length + 1 })}
        </Text>
      </Group>
    </Page>
  );
}
