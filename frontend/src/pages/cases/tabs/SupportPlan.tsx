import { useState } from 'react';
import { Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../../api/client';
import { problemDetail } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthContext';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import { enumOptions, GOAL_STATUSES, SERVICE_AREAS } from '../../../vocab';
import { useCaseWritable } from '../CaseView';
import type { TabProps } from './Overview';
import { Reviews, useGoals } from './Reviews';

export const goalSchema = z.object({
  area: z.enum(SERVICE_AREAS as [Schemas['ServiceArea'], ...Schemas['ServiceArea'][]], { message: 'validation.required' }),
  description: z.string().trim().min(1, 'validation.required').max(2000, 'validation.too_long'),
  target_on: z.string().optional(),
});

function GoalForm({ caseId, close }: { caseId: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(goalSchema, { area: undefined as unknown as Schemas['ServiceArea'], description: '', target_on: '' });
  const add = useWrite(
    (body: Schemas['GoalIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/goals', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['goals', caseId], ['timeline', caseId]],
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({ area: d.area, description: d.description, ...(d.target_on ? { target_on: d.target_on } : {}) });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('support.area')}
            required
            data={enumOptions(SERVICE_AREAS, 'ServiceArea', label)}
            value={form.values.area ?? null}
            onChange={(v) => form.set('area', v as Schemas['ServiceArea'])}
            error={form.error('area')}
          />
          <TextInput
            type="date"
            label={t('support.target_on')}
            value={form.values.target_on ?? ''}
            onChange={(e) => form.set('target_on', e.currentTarget.value)}
            error={form.error('target_on')}
          />
        </SimpleGrid>
        <Textarea
          label={t('support.description')}
          required
          autosize
          minRows={2}
          value={form.values.description}
          onChange={(e) => form.set('description', e.currentTarget.value)}
          error={form.error('description')}
        />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

/** A goal's status as a select; a change is sent with the goal's current ETag as If-Match. */
function GoalStatus({ goal }: { goal: Schemas['GoalOut'] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [error, setError] = useState<string | null>(null);
  const change = useWrite(
    async (status: Schemas['GoalStatus']) => {
      const { etag } = await unwrapVersioned(api.GET('/api/v1/goals/{id}', { params: { path: { id: goal.id } } }));
      return unwrap(api.PATCH('/api/v1/goals/{id}', { params: { path: { id: goal.id }, header: { 'If-Match': etag } }, body: { status } }));
    },
    [['goals', goal.case_id], ['timeline', goal.case_id]],
  );
  return (
    <Stack gap={2}>
      <Select
        size="xs"
        aria-label={t('casework.goal_status_named', { area: label('ServiceArea', goal.area) })}
        data={enumOptions(GOAL_STATUSES, 'GoalStatus', label)}
        value={goal.status}
        allowDeselect={false}
        disabled={change.isPending}
        onChange={(v) => {
          if (!v || v === goal.status) return;
          setError(null);
          change.mutate(v as Schemas['GoalStatus'], { onError: (err) => setError(problemDetail(err, t('errors.network'))) });
        }}
      />
      {error && (
        <Text size="xs" c="red.8" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

export default function SupportPlan({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const works = can('cases.work');
  const goals = useGoals(caseId);
  const writable = useCaseWritable(caseId);
  return (
    <Stack>
      <ListCard
        id="goals-title"
        title={t('support.goals')}
        query={goals}
        addLabel={t('support.add_goal')}
        renderForm={(close) => <GoalForm caseId={caseId} close={close} />}
        columns={[
          { header: t('support.area'), cell: (g) => label('ServiceArea', g.area) },
          { header: t('support.description'), cell: (g) => g.description ?? '—' },
          { header: t('support.status'), cell: (g) => (works ? <GoalStatus goal={g} /> : label('GoalStatus', g.status)) },
          { header: t('support.target_on'), cell: (g) => fmt.date(g.target_on) },
        ]}
      />
      {works && <Reviews caseId={caseId} open={writable} />}
    </Stack>
  );
}
