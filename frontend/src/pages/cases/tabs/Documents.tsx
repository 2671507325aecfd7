import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { useVersioned } from '../../../api/versioned';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { QueryState } from '../../../components/Page';
import { RecordDialog } from '../../../components/RecordDialog';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, enumOptions } from '../../../vocab';
import { useCaseWritable } from '../CaseView';
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

const editSchema = schema.extend({
  issued_on: z.string(),
  number: z.string().trim().max(100, 'validation.too_long'),
  notes: z.string().trim().max(5000, 'validation.too_long'),
});

/** Changes a document; the number and notes are offered only when they were opened for the reader. */
function DocumentEditForm({ doc, etag, close }: { doc: Schemas['DocumentOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(editSchema, {
    kind: doc.kind,
    status: doc.status,
    expires_on: doc.expires_on ?? '',
    issued_on: doc.issued_on ?? '',
    issuing_authority: doc.issuing_authority ?? '',
    number: doc.number ?? '',
    notes: doc.notes ?? '',
  });
  const save = useWrite(
    (body: Schemas['DocumentPatchIn']) =>
      unwrap(api.PATCH('/api/v1/documents/{id}', { params: { path: { id: doc.id }, header: { 'If-Match': etag } }, body })),
    [['documents', doc.case_id], ['timeline', doc.case_id], ['deadlines']],
  );
  const orNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);
  return (
    <form
      noValidate
      aria-label={t('case_records.document_edit')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync({
          kind: d.kind,
          status: d.status,
          expires_on: orNull(d.expires_on),
          issued_on: orNull(d.issued_on),
          issuing_authority: orNull(d.issuing_authority),
          ...(doc.sealed_shown ? { number: orNull(d.number), notes: orNull(d.notes) } : {}),
        });
        close();
      })}
    >
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('documents.kind')} required allowDeselect={false} data={enumOptions(DOCUMENT_KINDS, 'DocumentKind', label)} value={form.values.kind} onChange={(v) => v && form.set('kind', v as Schemas['DocumentKind'])} error={form.error('kind')} />
          <Select label={t('documents.status')} required allowDeselect={false} data={enumOptions(DOCUMENT_STATUSES, 'DocumentStatus', label)} value={form.values.status} onChange={(v) => v && form.set('status', v as Schemas['DocumentStatus'])} error={form.error('status')} />
          <TextInput type="date" label={t('case_records.issued_on')} value={form.values.issued_on} onChange={(e) => form.set('issued_on', e.currentTarget.value)} error={form.error('issued_on')} />
          <TextInput type="date" label={t('documents.expires_on')} value={form.values.expires_on ?? ''} onChange={(e) => form.set('expires_on', e.currentTarget.value)} error={form.error('expires_on')} />
          <TextInput label={t('documents.issuing_authority')} maxLength={200} value={form.values.issuing_authority ?? ''} onChange={(e) => form.set('issuing_authority', e.currentTarget.value)} error={form.error('issuing_authority')} />
          {doc.sealed_shown && (
            <TextInput label={t('case_records.document_number')} autoComplete="off" maxLength={100} value={form.values.number} onChange={(e) => form.set('number', e.currentTarget.value)} error={form.error('number')} />
          )}
        </SimpleGrid>
        {doc.sealed_shown && (
          <Textarea label={t('case_records.document_notes')} autosize minRows={2} maxLength={5000} value={form.values.notes} onChange={(e) => form.set('notes', e.currentTarget.value)} error={form.error('notes')} />
        )}
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

function DocumentEdit({ id, close }: { id: string; close: () => void }) {
  const doc = useVersioned(['document', id], () => api.GET('/api/v1/documents/{id}', { params: { path: { id } } }));
  return <QueryState query={doc}>{({ data, etag }) => <DocumentEditForm doc={data} etag={etag} close={close} />}</QueryState>;
}

export default function Documents({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const editable = useCaseWritable(caseId);
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
        ...(editable
          ? [
              {
                header: t('casework.actions'),
                cell: (d: Schemas['DocumentOut']) => (
                  <RecordDialog label={t('case_records.change')} name={t('case_records.document_change_named', { kind: label('DocumentKind', d.kind) })} title={t('case_records.document_edit')}>
                    {(close) => <DocumentEdit id={d.id} close={close} />}
                  </RecordDialog>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
