// Case notes are append-only: a mistake is corrected by a new version, and every earlier version
// stays readable in the note's history. Only the author (or someone who sees every case) corrects.
import { Badge, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useColleagues } from '../../../api/queries';
import { useVersioned } from '../../../api/versioned';
import { useAuth, useMe } from '../../../auth/AuthContext';
import { useZodForm } from '../../../forms/useZodForm';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { QueryState } from '../../../components/Page';
import { RecordDialog } from '../../../components/RecordDialog';
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

/** A corrected version, sent with the ETag of the latest version as read. */
function CorrectionForm({ note, etag }: { note: Schemas['NoteOut']; etag: string }) {
  const { t } = useTranslation();
  const form = useZodForm(schema, { body: note.body ?? '' });
  const correct = useWrite(
    (body: Schemas['CorrectionIn']) =>
      unwrap(api.POST('/api/v1/notes/{id}/versions', { params: { path: { id: note.note_id }, header: { 'If-Match': etag } }, body })),
    [['notes', note.case_id], ['note', note.note_id], ['timeline', note.case_id]],
  );
  return (
    <form noValidate aria-label={t('case_records.note_correct')} onSubmit={form.onSubmit(async (d) => { await correct.mutateAsync({ body: d.body }); })}>
      <Stack>
        <Textarea
          label={t('case_records.note_corrected_body')}
          description={t('case_records.note_correct_hint')}
          required
          autosize
          minRows={3}
          value={form.values.body}
          onChange={(e) => form.set('body', e.currentTarget.value)}
          error={form.error('body')}
        />
        <FormActions error={form.formError} submitting={form.submitting} />
      </Stack>
    </form>
  );
}

function NoteHistory({ noteId }: { noteId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const me = useMe();
  const colleagues = useColleagues();
  const history = useVersioned(['note', noteId], () => api.GET('/api/v1/notes/{id}', { params: { path: { id: noteId } } }));
  const name = (id: string) => colleagues.data?.items.find((c) => c.id === id)?.name ?? '—';
  return (
    <QueryState query={history}>
      {({ data, etag }) => {
        const latest = data.items[data.items.length - 1];
        const mayCorrect = latest !== undefined && can('cases.work') && (latest.author_id === me.id || can('cases.read_all'));
        return (
          <Stack>
            <Stack gap="xs" component="ol" m={0} p={0} aria-label={t('case_records.note_versions')} style={{ listStyle: 'none' }}>
              {data.items.map((v) => (
                <Card key={v.id} withBorder component="li" padding="sm" data-testid="note-version">
                  <Group gap="xs" mb={4}>
                    <Badge variant="light">{t('case_records.version', { n: v.version })}</Badge>
                    <Text size="xs" c="dimmed">
                      {fmt.dateTime(v.created_at)} · {name(v.author_id)}
                    </Text>
                  </Group>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {v.body ?? '—'}
                  </Text>
                </Card>
              ))}
            </Stack>
            {mayCorrect && <CorrectionForm key={etag} note={latest} etag={etag} />}
          </Stack>
        );
      }}
    </QueryState>
  );
}

export default function Notes({ caseId }: TabProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // Rows are keyed by the note, not by its latest version, so a correction made in the history
  // dialog keeps the row (and the open dialog) in place.
  const notes = useQuery({
    queryKey: ['notes', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/notes', { params: { path: { id: caseId } } })),
    select: (page) => ({ ...page, items: page.items.map((n) => ({ ...n, id: n.note_id })) }),
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
        { header: t('case_records.version_column'), cell: (n) => fmt.number(n.version) },
        {
          header: t('casework.actions'),
          cell: (n) => (
            <RecordDialog label={t('case_records.note_history')} name={t('case_records.note_history_named', { date: fmt.dateTime(n.created_at) })} title={t('case_records.note_history_title')}>
              {() => <NoteHistory noteId={n.note_id} />}
            </RecordDialog>
          ),
        },
      ]}
    />
  );
}
