import { Stack, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { useFormat } from '../../../i18n/format';
import type { TabProps } from './Overview';

const schema = z.object({ body: z.string().trim().min(1, 'validation.required').max(20000, 'validation.too_long') });

function NoteForm({ caseId, close }: { caseId: string; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(schema, { body: '' });
  const add = useWrite(
    (body: Schemas['NoteIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/notes', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['notes', caseId], ['timeline', caseId]],
  );
  return (
    <form noValidate onSubmit={form.onSubmit(async (d) => { await add.mutateAsync(d); close(); })}>
      <Stack mb="md">
        <Textarea label={t('notes.body')} required autosize minRows={3} value={form.values.body} onChange={(e) => form.set('body', e.currentTarget.value)} error={form.error('body')} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Notes({ caseId }: TabProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const notes = useQuery({
    queryKey: ['notes', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/notes', { params: { path: { id: caseId } } })),
  });
  return (
    <ListCard
      id="notes-title"
      title={t('notes.title')}
      query={notes}
      addLabel={t('notes.add')}
      renderForm={(close) => <NoteForm caseId={caseId} close={close} />}
      columns={[
        { header: t('notes.written'), cell: (n) => fmt.dateTime(n.created_at) },
        { header: t('notes.body'), cell: (n) => <span style={{ whiteSpace: 'pre-wrap' }}>{n.body ?? '—'}</span> },
      ]}
    />
  );
}
