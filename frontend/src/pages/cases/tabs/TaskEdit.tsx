// Changing an open task (title, kind, when, who, details) and cancelling it, each with the
// task's current ETag. Reading a task opens its sealed details, so the change form reads it
// only when opened.
import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../../api/client';
import { useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { toInstant, toLocalInput } from '../../../forms/instant';
import { FormActions } from '../../../components/FormActions';
import { ChangeRecord } from '../../../components/EditDialog';
import { ConfirmAction } from '../../../components/ConfirmAction';
import { schema, TaskFields } from './Tasks';

const readTask = (id: string) => unwrapVersioned(api.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));

function usePatchTask(task: Schemas['TaskOut']) {
  return useWrite(
    ({ body, etag }: { body: Schemas['TaskPatchIn']; etag: string }) =>
      unwrap(api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: task.id }, header: { 'If-Match': etag } }, body })),
    [['tasks'], ['agenda'], ...(task.case_id ? [['timeline', task.case_id]] : [])],
  );
}

function ChangeTaskForm({ task, etag, close }: { task: Schemas['TaskOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(schema, { title: task.title, kind: task.kind, due_at: toLocalInput(task.due_at), assignee_id: task.assignee_id, details: task.details ?? '' });
  const save = usePatchTask(task);
  return (
    <form
      noValidate
      aria-label={t('legal_edit.task_change_title')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync({
          etag,
          body: { title: d.title.trim(), kind: d.kind, due_at: toInstant(d.due_at), assignee_id: d.assignee_id, details: d.details.trim() ? d.details.trim() : null },
        });
        close();
      })}
    >
      <Stack>
        <TaskFields form={form} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export function ChangeTask({ task }: { task: Schemas['TaskOut'] }) {
  const { t } = useTranslation();
  return (
    <ChangeRecord
      label={t('legal_edit.change')}
      ariaLabel={t('legal_edit.task_change_named', { task: task.title })}
      title={t('legal_edit.task_change_title')}
      size="lg"
      queryKey={['task', task.id]}
      read={() => readTask(task.id)}
    >
      {(full, etag, close) => <ChangeTaskForm task={full} etag={etag} close={close} />}
    </ChangeRecord>
  );
}

/** Cancels a task after a confirmation; a cancelled task leaves the agendas. */
export function CancelTask({ task }: { task: Schemas['TaskOut'] }) {
  const { t } = useTranslation();
  const cancel = usePatchTask(task);
  return (
    <ConfirmAction
      label={t('legal_edit.task_cancel')}
      ariaLabel={t('legal_edit.task_cancel_named', { task: task.title })}
      title={t('legal_edit.task_cancel_title')}
      confirmLabel={t('legal_edit.task_cancel_do')}
      cancelLabel={t('legal_edit.keep')}
      action={async () => {
        const { etag } = await readTask(task.id);
        await cancel.mutateAsync({ etag, body: { status: 'cancelled' } });
      }}
    >
      <Text>{t('legal_edit.task_cancel_confirm', { task: task.title })}</Text>
    </ConfirmAction>
  );
}
