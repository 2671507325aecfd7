import { useState } from 'react';
import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useShelters } from '../api/queries';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../api/client';
import { idempotencyKey, useWrite } from '../api/mutate';
import { useZodForm } from '../forms/useZodForm';
import { FormActions } from '../components/FormActions';
import { ListCard } from '../components/ListCard';
import { Page } from '../components/Page';
import { useEnumLabel } from '../components/EnumLabel';
import { useFormat } from '../i18n/format';
import { enumOptions, INCIDENT_CATEGORIES, INCIDENT_SEVERITIES } from '../vocab';

const schema = z.object({
  shelter_id: z.string().min(1, 'validation.required'),
  category: z.enum(INCIDENT_CATEGORIES as [Schemas['IncidentCategory'], ...Schemas['IncidentCategory'][]], { message: 'validation.required' }),
  severity: z.enum(INCIDENT_SEVERITIES as [Schemas['IncidentSeverity'], ...Schemas['IncidentSeverity'][]], { message: 'validation.required' }),
  occurred_at: z.string().min(1, 'validation.required'),
  description: z.string().trim().min(1, 'validation.required').max(10000, 'validation.too_long'),
});


function IncidentForm({ close }: { close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const shelters = useShelters();
  const form = useZodForm(schema, {
    shelter_id: '',
    category: undefined as unknown as Schemas['IncidentCategory'],
    severity: undefined as unknown as Schemas['IncidentSeverity'],
    occurred_at: new Date().toISOString().slice(0, 16),
    description: '',
  });
  const add = useWrite(
    (body: Schemas['IncidentIn']) => unwrap(api.POST('/api/v1/incidents', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['incidents']],
  );
  return (
    <form noValidate onSubmit={form.onSubmit(async (d) => { await add.mutateAsync({ ...d, occurred_at: new Date(d.occurred_at).toISOString() }); close(); })}>
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('placement.shelter')} required data={(shelters.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} value={form.values.shelter_id || null} onChange={(v) => form.set('shelter_id', v ?? '')} error={form.error('shelter_id')} />
          <TextInput type="datetime-local" label={t('incidents.occurred_at')} required value={form.values.occurred_at} onChange={(e) => form.set('occurred_at', e.currentTarget.value)} error={form.error('occurred_at')} />
          <Select label={t('incidents.category')} required data={enumOptions(INCIDENT_CATEGORIES, 'IncidentCategory', label)} value={form.values.category ?? null} onChange={(v) => form.set('category', v as Schemas['IncidentCategory'])} error={form.error('category')} />
          <Select label={t('incidents.severity')} required data={enumOptions(INCIDENT_SEVERITIES, 'IncidentSeverity', label)} value={form.values.severity ?? null} onChange={(v) => form.set('severity', v as Schemas['IncidentSeverity'])} error={form.error('severity')} />
        </SimpleGrid>
        <Textarea label={t('incidents.description')} required autosize minRows={3} value={form.values.description} onChange={(e) => form.set('description', e.currentTarget.value)} error={form.error('description')} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Incidents() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const shelters = useShelters();
  const [shelter, setShelter] = useState<string | null>(null);
  const [severity, setSeverity] = useState<string | null>(null);
  const incidents = useQuery({
    queryKey: ['incidents', shelter, severity],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/incidents', {
          params: { query: { limit: 100, ...(shelter ? { shelter_id: shelter } : {}), ...(severity ? { severity: severity as Schemas['IncidentSeverity'] } : {}) } },
        }),
      ),
  });
  const shelterName = (id: string) => shelters.data?.items.find((s) => s.id === id)?.name ?? '—';
  return (
    <Page title={t('nav.incidents')}>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select label={t('placement.shelter')} placeholder={t('common.all')} clearable data={(shelters.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} value={shelter} onChange={setShelter} />
        <Select label={t('incidents.severity')} placeholder={t('common.all')} clearable data={enumOptions(INCIDENT_SEVERITIES, 'IncidentSeverity', label)} value={severity} onChange={setSeverity} />
      </SimpleGrid>
      <ListCard
        id="incidents-title"
        title={t('incidents.list')}
        query={incidents}
        addLabel={t('incidents.report')}
        renderForm={(close) => <IncidentForm close={close} />}
        columns={[
          { header: t('incidents.occurred_at'), cell: (i) => fmt.dateTime(i.occurred_at) },
          { header: t('placement.shelter'), cell: (i) => shelterName(i.shelter_id) },
          { header: t('incidents.category'), cell: (i) => label('IncidentCategory', i.category) },
          { header: t('incidents.severity'), cell: (i) => label('IncidentSeverity', i.severity) },
          { header: t('incidents.follow_up'), cell: (i) => label('IncidentFollowUp', i.follow_up_status) },
        ]}
      />
    </Page>
  );
}
