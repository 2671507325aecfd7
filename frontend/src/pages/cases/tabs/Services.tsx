import { NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { useVersioned } from '../../../api/versioned';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { useMe } from '../../../auth/AuthContext';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { QueryState } from '../../../components/Page';
import { RecordDialog } from '../../../components/RecordDialog';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import { enumOptions, SERVICE_AREAS } from '../../../vocab';
import { useCaseWritable } from '../CaseView';
import type { TabProps } from './Overview';
import { localDate } from '../../../forms/instant';

export const serviceSchema = z.object({
  area: z.enum(SERVICE_AREAS as [Schemas['ServiceArea'], ...Schemas['ServiceArea'][]], { message: 'validation.required' }),
  service_type: z.string().min(1, 'validation.required'),
  provided_on: z.string().min(1, 'validation.required'),
  duration_minutes: z.number({ message: 'validation.required' }).int().min(1, 'validation.positive').max(1440, 'validation.too_large'),
  note: z.string().max(4000, 'validation.too_long').optional(),
  provider_organisation_name: z.string().trim().max(200, 'validation.too_long').optional(),
});

function useTaxonomy() {
  return useQuery({
    queryKey: ['service-types'],
    staleTime: Infinity,
    queryFn: () => unwrap(api.GET('/api/v1/service-types')),
  });
}

type ServiceValues = z.input<typeof serviceSchema>;
type ServiceFormState = {
  values: ServiceValues;
  set: <K extends keyof ServiceValues>(name: K, value: ServiceValues[K]) => void;
  error: (name: string) => string | undefined;
};

/** The fields of a service entry, for recording one and for changing one. */
function ServiceFields({ form, withNote = true }: { form: ServiceFormState; withNote?: boolean }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const taxonomy = useTaxonomy();
  const types = taxonomy.data?.areas.find((a) => a.area === form.values.area)?.types ?? [];
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('support.area')}
          required
          data={enumOptions(SERVICE_AREAS, 'ServiceArea', label)}
          value={form.values.area ?? null}
          onChange={(v) => {
            form.set('area', v as Schemas['ServiceArea']);
            form.set('service_type', '');
          }}
          error={form.error('area')}
        />
        <Select
          label={t('services.type')}
          required
          disabled={!form.values.area}
          data={types.map((ty) => ({ value: ty.code, label: ty.label }))}
          value={form.values.service_type || null}
          onChange={(v) => form.set('service_type', v ?? '')}
          error={form.error('service_type')}
        />
        <TextInput
          type="date"
          label={t('services.provided_on')}
          required
          value={form.values.provided_on}
          onChange={(e) => form.set('provided_on', e.currentTarget.value)}
          error={form.error('provided_on')}
        />
        <NumberInput
          label={t('services.duration')}
          required
          min={1}
          max={1440}
          value={form.values.duration_minutes}
          onChange={(v) => form.set('duration_minutes', typeof v === 'number' ? v : Number.NaN)}
          error={form.error('duration_minutes')}
        />
      </SimpleGrid>
      <TextInput
        label={t('services.outside_provider')}
        description={t('services.outside_provider_hint')}
        value={form.values.provider_organisation_name ?? ''}
        onChange={(e) => form.set('provider_organisation_name', e.currentTarget.value)}
        error={form.error('provider_organisation_name')}
      />
      {withNote && (
        <Textarea label={t('services.note')} autosize minRows={2} value={form.values.note ?? ''} onChange={(e) => form.set('note', e.currentTarget.value)} error={form.error('note')} />
      )}
    </>
  );
}

function ServiceForm({ caseId, close }: { caseId: string; close: () => void }) {
  const form = useZodForm(serviceSchema, {
    area: undefined as unknown as Schemas['ServiceArea'],
    service_type: '',
    provided_on: localDate(),
    duration_minutes: 60,
    note: '',
    provider_organisation_name: '',
  });
  const me = useMe();
  const add = useWrite(
    (body: Schemas['ServiceIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/services', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['services', caseId], ['timeline', caseId]],
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        const outside = d.provider_organisation_name?.trim();
        await add.mutateAsync({
          area: d.area,
          service_type: d.service_type,
          provided_on: d.provided_on,
          duration_minutes: d.duration_minutes,
          note: d.note?.trim() ? d.note.trim() : null,
          // The service was given by the signed-in user unless an outside organisation is named.
          ...(outside ? { provider_organisation_name: outside } : { provider_user_id: me.id }),
        });
        close();
      })}
    >
      <Stack mb="md">
        <ServiceFields form={form} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

/** Changes an entry; its note is offered only when it was opened for the reader. The provider
 * is sent only when it changes (an outside organisation, or back to the signed-in user). */
function ServiceEditForm({ entry, etag, close }: { entry: Schemas['ServiceOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const form = useZodForm(serviceSchema, {
    area: entry.area,
    service_type: entry.service_type,
    provided_on: entry.provided_on,
    duration_minutes: entry.duration_minutes,
    note: entry.note ?? '',
    provider_organisation_name: entry.provider_organisation_name ?? '',
  });
  const save = useWrite(
    (body: Schemas['ServicePatchIn']) =>
      unwrap(api.PATCH('/api/v1/services/{id}', { params: { path: { id: entry.id }, header: { 'If-Match': etag } }, body })),
    [['services', entry.case_id], ['timeline', entry.case_id]],
  );
  return (
    <form
      noValidate
      aria-label={t('case_records.service_edit')}
      onSubmit={form.onSubmit(async (d) => {
        const outside = d.provider_organisation_name?.trim() ?? '';
        const provider =
          outside === (entry.provider_organisation_name ?? '')
            ? {}
            : outside
              ? { provider_organisation_name: outside, provider_user_id: null }
              : { provider_organisation_name: null, provider_user_id: me.id };
        await save.mutateAsync({
          area: d.area,
          service_type: d.service_type,
          provided_on: d.provided_on,
          duration_minutes: d.duration_minutes,
          ...provider,
          ...(entry.sealed_shown ? { note: d.note?.trim() ? d.note.trim() : null } : {}),
        });
        close();
      })}
    >
      <Stack>
        <ServiceFields form={form} withNote={entry.sealed_shown} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

function ServiceEdit({ id, close }: { id: string; close: () => void }) {
  const entry = useVersioned(['service', id], () => api.GET('/api/v1/services/{id}', { params: { path: { id } } }));
  return <QueryState query={entry}>{({ data, etag }) => <ServiceEditForm entry={data} etag={etag} close={close} />}</QueryState>;
}

export default function Services({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const taxonomy = useTaxonomy();
  const editable = useCaseWritable(caseId);
  const typeLabel = (code: string) =>
    taxonomy.data?.areas.flatMap((a) => a.types).find((ty) => ty.code === code)?.label ?? code;
  const services = useQuery({
    queryKey: ['services', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/services', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <ListCard
      id="services-title"
      title={t('services.title')}
      query={services}
      addLabel={t('services.add')}
      renderForm={(close) => <ServiceForm caseId={caseId} close={close} />}
      columns={[
        { header: t('services.provided_on'), cell: (s) => fmt.date(s.provided_on) },
        { header: t('support.area'), cell: (s) => label('ServiceArea', s.area) },
        { header: t('services.type'), cell: (s) => typeLabel(s.service_type) },
        { header: t('services.duration'), cell: (s) => fmt.number(s.duration_minutes) },
        ...(editable
          ? [
              {
                header: t('casework.actions'),
                cell: (s: Schemas['ServiceOut']) => (
                  <RecordDialog
                    label={t('case_records.change')}
                    name={t('case_records.service_change_named', { type: typeLabel(s.service_type), date: fmt.date(s.provided_on) })}
                    title={t('case_records.service_edit')}
                  >
                    {(close) => <ServiceEdit id={s.id} close={close} />}
                  </RecordDialog>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
