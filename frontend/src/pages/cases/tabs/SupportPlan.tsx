import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
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
import { enumOptions, SERVICE_AREAS } from '../../../vocab';
import type { TabProps } from './Overview';

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

export default function SupportPlan({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const goals = useQuery({
    queryKey: ['goals', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/goals', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <ListCard
      id="goals-title"
      title={t('support.goals')}
      query={goals}
      addLabel={t('support.add_goal')}
      renderForm={(close) => <GoalForm caseId={caseId} close={close} />}
      columns={[
        { header: t('support.area'), cell: (g) => label('ServiceArea', g.area) },
        { header: t('support.description'), cell: (g) => g.description ?? '—' },
        { header: t('support.status'), cell: (g) => label('GoalStatus', g.status) },
        { header: t('support.target_on'), cell: (g) => fmt.date(g.target_on) },
      ]}
    />
  );
}
