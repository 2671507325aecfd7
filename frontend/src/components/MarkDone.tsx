// Marks a task done: the PATCH needs the task's current ETag as If-Match, so it reads the task
// first. Used by the dashboard's "my tasks" and the case's tasks.
import { useState } from 'react';
import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, unwrapVersioned, type Schemas } from '../api/client';
import { useWrite } from '../api/mutate';
import { problemDetail } from '../api/problem';

export function MarkDone({ task }: { task: Schemas['TaskOut'] }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const done = useWrite(
    async () => {
      const { etag } = await unwrapVersioned(api.GET('/api/v1/tasks/{id}', { params: { path: { id: task.id } } }));
      return unwrap(api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: task.id }, header: { 'If-Match': etag } }, body: { status: 'done' } }));
    },
    [['tasks']],
  );
  return (
    <>
      <Button
        size="compact-xs"
        variant="default"
        aria-label={t('casework.task_done_named', { task: task.title })}
        loading={done.isPending}
        onClick={() => {
          setError(null);
          done.mutate(undefined, { onError: (err) => setError(problemDetail(err, t('errors.network'))) });
        }}
      >
        {t('casework.task_done')}
      </Button>
      {error && (
        <Text size="xs" c="red.8" role="alert">
          {error}
        </Text>
      )}
    </>
  );
}

