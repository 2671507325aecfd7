// The tasks and appointments of a case: who does what by when, added for any colleague, and
// marked done. Titles are shown in agendas, so the form asks for no names in them; details
// are sealed with the client's key.
import { Group, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useColleagues } from '../../../api/queries';
import { useMe } from '../../../auth/AuthContext';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { MarkDone } from '../../../components/MarkDone';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useZodForm } from '../../../forms/useZodForm';
import { toInstant } from '../../../forms/instant';
import { useFormat } from '../../../i18n/format';
import { enumOptions, TASK_KINDS } from '../../../vocab';
import type { TabProps } from './Overview';
import { CancelTask, ChangeTask } from './TaskEdit';
import { useAuth } from '../../../auth/AuthContext';

export const schema = z.object({
  title: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  kind: z.enum(TASK_KINDS as [Schemas['TaskKind'], ...Schemas['TaskKind'][]]),
  due_at: z.string().min(1, 'validation.required'),
  assignee_id: z.string().min(1, 'validation.required'),
  details: z.string().max(5000, 'validation.too_long'),
});

/** The API's instant for a `datetime-local` value read in the browser's time zone. */
export const dueInstant = toInstant;

/** The fields of a task, shared by adding and changing one. */
export function TaskFields({ form }: { form: ReturnType<typeof useZodForm<typeof schema>> }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const me = useMe();
  const colleagues = useColleagues();
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('case_tasks.task_title')}
          description={t('case_tasks.title_hint')}
          required
          maxLength={200}
          value={form.values.title}
          onChange={(e) => form.set('title', e.currentTarget.value)}
          error={form.error('title')}
        />
        <Select label={t('case_tasks.kind')} data={enumOptions(TASK_KINDS, 'TaskKind', label)} value={form.values.kind} onChange={(v) => v && form.set('kind', v as Schemas['TaskKind'])} allowDeselect={false} />
        <TextInput type="datetime-local" label={t('case_tasks.due_at')} required value={form.values.due_at} onChange={(e) => form.set('due_at', e.currentTarget.value)} error={form.error('due_at')} />
        <Select
          label={t('case_tasks.assignee')}
          required
          searchable
          data={(colleagues.data?.items ?? []).map((c) => ({ value: c.id, label: c.id === me.id ? `${c.name} (${t('common.you')})` : c.name }))}
          value={form.values.assignee_id || null}
          onChange={(v) => form.set('assignee_id', v ?? '')}
          error={form.error('assignee_id')}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Textarea label={t('case_tasks.details')} description={t('case_tasks.details_hint')} autosize minRows={2} maxLength={5000} value={form.values.details} onChange={(e) => form.set('details', e.currentTarget.value)} error={form.error('details')} />
    </>
  );
}

function TaskForm({ caseId, close }: { caseId: string; close: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const form = useZodForm(schema, { title: '', kind: 'task', due_at: '', assignee_id: me.id, details: '' });
  const add = useWrite(
    (body: Schemas['TaskIn']) => unwrap(api.POST('/api/v1/tasks', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['tasks'], ['timeline', caseId]],
  );
  return (
    <form
      noValidate
      aria-label={t('case_tasks.add')}
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({
          case_id: caseId,
          title: d.title.trim(),
          kind: d.kind,
          due_at: dueInstant(d.due_at),
          assignee_id: d.assignee_id,
          ...(d.details.trim() ? { details: d.details.trim() } : {}),
        });
        close();
      })}
    >
      <Stack mb="md">
        <TaskFields form={form} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Tasks({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const colleagues = useColleagues();
  const { can } = useAuth();
  const works = can('cases.work');
  const tasks = useQuery({
    queryKey: ['tasks', 'case', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/tasks', { params: { query: { case_id: caseId, limit: 200 } } })),
  });
  const name = (id: string) => colleagues.data?.items.find((c) => c.id === id)?.name ?? '—';
  return (
    <ListCard
      id="case-tasks-title"
      title={t('case_tasks.title')}
      query={tasks}
      addLabel={t('case_tasks.add')}
      renderForm={(close) => <TaskForm caseId={caseId} close={close} />}
      columns={[
        { header: t('case_tasks.task_title'), cell: (task) => task.title },
        { header: t('case_tasks.kind'), cell: (task) => label('TaskKind', task.kind) },
        { header: t('case_tasks.due_at'), cell: (task) => fmt.dateTime(task.due_at) },
        { header: t('case_tasks.assignee'), cell: (task) => name(task.assignee_id) },
        { header: t('case_tasks.status'), cell: (task) => label('TaskStatus', task.status) },
        {
          header: t('case_tasks.action'),
          cell: (task) =>
            task.status === 'open' ? (
              <Group gap={4} wrap="nowrap">
                <MarkDone task={task} />
                {works && <ChangeTask task={task} />}
                {works && <CancelTask task={task} />}
              </Group>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
