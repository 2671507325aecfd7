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
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, enumOptions } from '../../../vocab';
import type { TabProps } from './Overview';

const schema = z.object({
  kind: z.enum(DOCUMENT_KINDS as [Schemas['DocumentKind'], ...Schemas['DocumentKind'][]], { message: 'validation.required' }),
  status: z.enum(DOCUMENT_STATUSES as [Schemas['DocumentStatus'], ...Schemas['DocumentStatus'][]], { message: 'validation.required' }),
  expires_on: z.string().optional(),
  issuing_authority: z.string().max(200, 'validation.too_long').optional(),
});

function DocumentForm({ caseId, close }: { caseId: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(schema, { kind: undefined as unknown as Schemas['DocumentKind'], status: 'to_request', expires_on: '', issuing_authority: '' });
  const add = useWrite(
    (body: Schemas['DocumentIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/documents', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['documents', caseId], ['timeline', caseId], ['deadlines']],
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({
          kind: d.kind,
          status: d.status,
          ...(d.expires_on ? { expires_on: d.expires_on } : {}),
          ...(d.issuing_authority?.trim() ? { issuing_authority: d.issuing_authority.trim() } : {}),
        });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('documents.kind')} required data={enumOptions(DOCUMENT_KINDS, 'DocumentKind', label)} value={form.values.kind ?? null} onChange={(v) => form.set('kind', v as Schemas['DocumentKind'])} error={form.error('kind')} />
          <Select label={t('documents.status')} required data={enumOptions(DOCUMENT_STATUSES, 'DocumentStatus', label)} value={form.values.status} onChange={(v) => form.set('status', v as Schemas['DocumentStatus'])} error={form.error('status')} />
          <TextInput type="date" label={t('documents.expires_on')} value={form.values.expires_on ?? ''} onChange={(e) => form.set('expires_on', e.currentTarget.value)} error={form.error('expires_on')} />
          <TextInput label={t('documents.issuing_authority')} value={form.values.issuing_authority ?? ''} onChange={(e) => form.set('issuing_authority', e.currentTarget.value)} error={form.error('issuing_authority')} />
        </SimpleGrid>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Documents({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const documents = useQuery({
    queryKey: ['documents', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/documents', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <ListCard
      id="documents-title"
      title={t('documents.title')}
      query={documents}
      addLabel={t('documents.add')}
      renderForm={(close) => <DocumentForm caseId={caseId} close={close} />}
      columns={[
        { header: t('documents.kind'), cell: (d) => label('DocumentKind', d.kind) },
        { header: t('documents.status'), cell: (d) => label('DocumentStatus', d.status) },
        { header: t('documents.expires_on'), cell: (d) => fmt.date(d.expires_on) },
      ]}
    />
  );
}
