import { useState } from 'react';
import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useShelters } from '../api/queries';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../api/client';
import { useVersioned } from '../api/versioned';
import { useAuth } from '../auth/AuthContext';
import { idempotencyKey, useWrite } from '../api/mutate';
import { useZodForm } from '../forms/useZodForm';
import { FormActions } from '../components/FormActions';
import { ListCard } from '../components/ListCard';
import { Page, QueryState } from '../components/Page';
import { RecordDialog } from '../components/RecordDialog';
import { useEnumLabel } from '../components/EnumLabel';
import { useFormat } from '../i18n/format';
import { enumOptions, INCIDENT_CATEGORIES, INCIDENT_FOLLOW_UPS, INCIDENT_SEVERITIES } from '../vocab';
import { toInstant, toLocalInput } from '../forms/instant';

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
    occurred_at: toLocalInput(new Date().toISOString()),
    description: '',
  });
  const add = useWrite(
    (body: Schemas['IncidentIn']) => unwrap(api.POST('/api/v1/incidents', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['incidents']],
  );
  return (
    <form noValidate onSubmit={form.onSubmit(async (d) => { await add.mutateAsync({ ...d, occurred_at: toInstant(d.occurred_at) }); close(); })}>
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

const editSchema = schema.pick({ category: true, severity: true }).extend({
  follow_up_status: z.enum(INCIDENT_FOLLOW_UPS as [Schemas['IncidentFollowUp'], ...Schemas['IncidentFollowUp'][]]),
  description: z.string().trim().max(10000, 'validation.too_long'),
  actions_taken: z.string().trim().max(10000, 'validation.too_long'),
});

/** Follow-up, severity and category of an incident; its account and the actions taken too when
 * they were opened for the reader. */
function IncidentEditForm({ incident, etag, close }: { incident: Schemas['IncidentOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(editSchema, {
    category: incident.category,
    severity: incident.severity,
    follow_up_status: incident.follow_up_status,
    description: incident.description ?? '',
    actions_taken: incident.actions_taken ?? '',
  });
  const save = useWrite(
    (body: Schemas['IncidentPatchIn']) =>
      unwrap(api.PATCH('/api/v1/incidents/{id}', { params: { path: { id: incident.id }, header: { 'If-Match': etag } }, body })),
    [['incidents']],
  );
  return (
    <form
      noValidate
      aria-label={t('case_records.incident_edit')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync({
          category: d.category,
          severity: d.severity,
          follow_up_status: d.follow_up_status,
          // The account is required once written; only a change is sent.
          ...(incident.sealed_shown && d.description !== (incident.description ?? '') ? { description: d.description } : {}),
          ...(incident.sealed_shown ? { actions_taken: d.actions_taken ? d.actions_taken : null } : {}),
        });
        close();
      })}
    >
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select label={t('incidents.follow_up')} required allowDeselect={false} data={enumOptions(INCIDENT_FOLLOW_UPS, 'IncidentFollowUp', label)} value={form.values.follow_up_status} onChange={(v) => v && form.set('follow_up_status', v as Schemas['IncidentFollowUp'])} error={form.error('follow_up_status')} />
          <Select label={t('incidents.severity')} required allowDeselect={false} data={enumOptions(INCIDENT_SEVERITIES, 'IncidentSeverity', label)} value={form.values.severity} onChange={(v) => v && form.set('severity', v as Schemas['IncidentSeverity'])} error={form.error('severity')} />
          <Select label={t('incidents.category')} required allowDeselect={false} data={enumOptions(INCIDENT_CATEGORIES, 'IncidentCategory', label)} value={form.values.category} onChange={(v) => v && form.set('category', v as Schemas['IncidentCategory'])} error={form.error('category')} />
        </SimpleGrid>
        {incident.sealed_shown && (
          <>
            <Textarea label={t('incidents.description')} required autosize minRows={3} value={form.values.description} onChange={(e) => form.set('description', e.currentTarget.value)} error={form.error('description')} />
            <Textarea label={t('case_records.actions_taken')} autosize minRows={2} value={form.values.actions_taken} onChange={(e) => form.set('actions_taken', e.currentTarget.value)} error={form.error('actions_taken')} />
          </>
        )}
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

function IncidentEdit({ id, close }: { id: string; close: () => void }) {
  const incident = useVersioned(['incident', id], () => api.GET('/api/v1/incidents/{id}', { params: { path: { id } } }));
  return <QueryState query={incident}>{({ data, etag }) => <IncidentEditForm incident={data} etag={etag} close={close} />}</QueryState>;
}

export default function Incidents() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const shelters = useShelters();
  const { can } = useAuth();
  // Who may open an incident's account may change it (the API's own rule).
  const mayChange = can('residents.read') || can('shelters.manage');
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
          ...(mayChange
            ? [
                {
                  header: t('casework.actions'),
                  cell: (i: Schemas['IncidentOut']) => (
                    <RecordDialog
                      label={t('case_records.change')}
                      name={t('case_records.incident_change_named', { category: label('IncidentCategory', i.category), at: fmt.dateTime(i.occurred_at) })}
                      title={t('case_records.incident_edit')}
                    >
                      {(close) => <IncidentEdit id={i.id} close={close} />}
                    </RecordDialog>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Page>
  );
}
