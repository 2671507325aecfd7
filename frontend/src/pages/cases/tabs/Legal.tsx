import { Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import { enumOptions, PROCEEDING_ROLES, PROCEEDING_STATUSES, PROCEEDING_TYPES } from '../../../vocab';
import type { TabProps } from './Overview';

const schema = z.object({
  type: z.enum(PROCEEDING_TYPES as [Schemas['ProceedingType'], ...Schemas['ProceedingType'][]], { message: 'validation.required' }),
  client_role: z.enum(PROCEEDING_ROLES as [Schemas['ProceedingRole'], ...Schemas['ProceedingRole'][]], { message: 'validation.required' }),
  status: z.enum(PROCEEDING_STATUSES as [Schemas['ProceedingStatus'], ...Schemas['ProceedingStatus'][]], { message: 'validation.required' }),
  jurisdiction: z.string().max(200, 'validation.too_long').optional(),
});

function ProceedingForm({ caseId, close }: { caseId: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(schema, {
    type: undefined as unknown as Schemas['ProceedingType'],
    client_role: undefined as unknown as Schemas['ProceedingRole'],
    status: 'considering',
    jurisdiction: '',
  });
  const add = useWrite(
    (body: Schemas['ProceedingIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/proceedings', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['proceedings', caseId], ['timeline', caseId]],
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({ type: d.type, client_role: d.client_role, status: d.status, ...(d.jurisdiction?.trim() ? { jurisdiction: d.jurisdiction.trim() } : {}) });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('legal.type')} required data={enumOptions(PROCEEDING_TYPES, 'ProceedingType', label)} value={form.values.type ?? null} onChange={(v) => form.set('type', v as Schemas['ProceedingType'])} error={form.error('type')} />
          <Select label={t('legal.client_role')} required data={enumOptions(PROCEEDING_ROLES, 'ProceedingRole', label)} value={form.values.client_role ?? null} onChange={(v) => form.set('client_role', v as Schemas['ProceedingRole'])} error={form.error('client_role')} />
          <Select label={t('legal.status')} required data={enumOptions(PROCEEDING_STATUSES, 'ProceedingStatus', label)} value={form.values.status} onChange={(v) => form.set('status', v as Schemas['ProceedingStatus'])} error={form.error('status')} />
          <TextInput label={t('legal.jurisdiction')} value={form.values.jurisdiction ?? ''} onChange={(e) => form.set('jurisdiction', e.currentTarget.value)} error={form.error('jurisdiction')} />
        </SimpleGrid>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Legal({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const proceedings = useQuery({
    queryKey: ['proceedings', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/proceedings', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <ListCard
      id="legal-title"
      title={t('legal.title')}
      query={proceedings}
      addLabel={t('legal.add')}
      renderForm={(close) => <ProceedingForm caseId={caseId} close={close} />}
      columns={[
        { header: t('legal.type'), cell: (p) => label('ProceedingType', p.type) },
        { header: t('legal.client_role'), cell: (p) => label('ProceedingRole', p.client_role) },
        { header: t('legal.status'), cell: (p) => label('ProceedingStatus', p.status) },
        { header: t('cases.updated'), cell: (p) => fmt.date(p.updated_at) },
      ]}
    />
  );
}
