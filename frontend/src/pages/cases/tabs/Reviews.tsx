// Reviews of a case's support plan: who met when, where each goal stands from then on, and when
// the plan is reviewed next (the API writes that as a deadline). Comments are sealed: the list
// never carries them, one review's read does (for roles that read identities).
import { useState } from 'react';
import { Fieldset, MultiSelect, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useColleagues } from '../../../api/queries';
import { useMe } from '../../../auth/AuthContext';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { QueryState } from '../../../components/Page';
import { RecordDialog } from '../../../components/RecordDialog';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useZodForm } from '../../../forms/useZodForm';
import { useFormat } from '../../../i18n/format';
import { enumOptions, GOAL_STATUSES } from '../../../vocab';
import { Field } from './Overview';
import { localDate } from '../../../forms/instant';

export function useGoals(caseId: string) {
  return useQuery({
    queryKey: ['goals', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/goals', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
}

/** Colleagues' names by id, for showing who took part. */
function useNames() {
  const colleagues = useColleagues();
  return (ids: string[]) => ids.map((id) => colleagues.data?.items.find((c) => c.id === id)?.name ?? '—').join(', ') || '—';
}

const schema = z.object({
  held_on: z.string().min(1, 'validation.required'),
  next_review_on: z.string(),
  participant_ids: z.array(z.string()).min(1, 'validation.required').max(20, 'validation.too_large'),
});

type Progress = Record<string, { status: Schemas['GoalStatus']; comment: string }>;

/** The goals whose status changes or that get a comment, as the review's progress. */
export function reviewProgress(goals: Schemas['GoalOut'][], progress: Progress): Schemas['ProgressIn'][] {
  return goals.flatMap((g) => {
    const p = progress[g.id];
    if (!p || (p.status === g.status && !p.comment.trim())) return [];
    return [{ goal_id: g.id, status: p.status, ...(p.comment.trim() ? { comment: p.comment.trim() } : {}) }];
  });
}

function ReviewForm({ caseId, goals, close }: { caseId: string; goals: Schemas['GoalOut'][]; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const me = useMe();
  const colleagues = useColleagues();
  const form = useZodForm(schema, { held_on: localDate(), next_review_on: '', participant_ids: [me.id] });
  const [progress, setProgress] = useState<Progress>(() => Object.fromEntries(goals.map((g) => [g.id, { status: g.status, comment: '' }])));
  const put = (id: string, change: Partial<Progress[string]>) => setProgress((p) => ({ ...p, [id]: { ...p[id]!, ...change } }));
  const add = useWrite(
    (body: Schemas['ReviewIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/reviews', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['reviews', caseId], ['goals', caseId], ['timeline', caseId], ['deadlines']],
  );
  return (
    <form
      noValidate
      aria-label={t('case_records.review_add')}
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({
          held_on: d.held_on,
          participant_ids: d.participant_ids,
          progress: reviewProgress(goals, progress),
          ...(d.next_review_on ? { next_review_on: d.next_review_on } : {}),
        });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput type="date" label={t('case_records.held_on')} required value={form.values.held_on} onChange={(e) => form.set('held_on', e.currentTarget.value)} error={form.error('held_on')} />
          <TextInput type="date" label={t('case_records.next_review_on')} description={t('case_records.next_review_hint')} value={form.values.next_review_on} onChange={(e) => form.set('next_review_on', e.currentTarget.value)} error={form.error('next_review_on')} />
        </SimpleGrid>
        <MultiSelect
          label={t('case_records.participants')}
          required
          searchable
          data={(colleagues.data?.items ?? []).map((c) => ({ value: c.id, label: c.id === me.id ? `${c.name} (${t('common.you')})` : c.name }))}
          value={form.values.participant_ids}
          onChange={(v) => form.set('participant_ids', v)}
          error={form.error('participant_ids')}
        />
        {goals.length > 0 && (
          <Fieldset legend={t('case_records.progress')}>
            <Stack>
              {goals.map((g) => (
                <SimpleGrid key={g.id} cols={{ base: 1, sm: 2 }}>
                  <Select
                    label={t('case_records.goal_status', { goal: g.description ?? label('ServiceArea', g.area) })}
                    allowDeselect={false}
                    data={enumOptions(GOAL_STATUSES, 'GoalStatus', label)}
                    value={progress[g.id]?.status ?? g.status}
                    onChange={(v) => v && put(g.id, { status: v as Schemas['GoalStatus'] })}
                  />
                  <Textarea
                    label={t('case_records.goal_comment', { goal: g.description ?? label('ServiceArea', g.area) })}
                    autosize
                    minRows={1}
                    maxLength={2000}
                    value={progress[g.id]?.comment ?? ''}
                    onChange={(e) => put(g.id, { comment: e.currentTarget.value })}
                  />
                </SimpleGrid>
              ))}
            </Stack>
          </Fieldset>
        )}
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

function ReviewDetail({ reviewId, goals }: { reviewId: string; goals: Schemas['GoalOut'][] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const names = useNames();
  const review = useQuery({
    queryKey: ['review', reviewId],
    queryFn: () => unwrap(api.GET('/api/v1/reviews/{id}', { params: { path: { id: reviewId } } })),
  });
  const goal = (id: string) => {
    const g = goals.find((x) => x.id === id);
    return g ? (g.description ?? label('ServiceArea', g.area)) : '—';
  };
  return (
    <QueryState query={review}>
      {(r) => (
        <Stack>
          <SimpleGrid cols={2} component="dl" m={0}>
            <Field label={t('case_records.held_on')}>{fmt.date(r.held_on)}</Field>
            <Field label={t('case_records.next_review_on')}>{fmt.date(r.next_review_on)}</Field>
            <Field label={t('case_records.participants')}>{names(r.participant_ids)}</Field>
          </SimpleGrid>
          {r.progress.length === 0 ? (
            <Text c="dimmed">{t('case_records.no_progress')}</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('support.description')}</Table.Th>
                  <Table.Th>{t('support.status')}</Table.Th>
                  {r.sealed_shown && <Table.Th>{t('case_records.comment')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.progress.map((p) => (
                  <Table.Tr key={p.goal_id}>
                    <Table.Td>{goal(p.goal_id)}</Table.Td>
                    <Table.Td>{label('GoalStatus', p.status)}</Table.Td>
                    {r.sealed_shown && <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{p.comment ?? '—'}</Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

export function Reviews({ caseId, open }: { caseId: string; open: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const goals = useGoals(caseId);
  const reviews = useQuery({
    queryKey: ['reviews', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/reviews', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  const goalList = goals.data?.items ?? [];
  return (
    <ListCard
      id="reviews-title"
      title={t('case_records.reviews')}
      query={reviews}
      addLabel={t('case_records.review_add')}
      renderForm={open && goals.data ? (close) => <ReviewForm caseId={caseId} goals={goalList} close={close} /> : undefined}
      columns={[
        { header: t('case_records.held_on'), cell: (r) => fmt.date(r.held_on) },
        { header: t('case_records.participants'), cell: (r) => names(r.participant_ids) },
        { header: t('case_records.goals_reviewed'), cell: (r) => fmt.number(r.progress.length) },
        { header: t('case_records.next_review_on'), cell: (r) => fmt.date(r.next_review_on) },
        {
          header: t('casework.actions'),
          cell: (r) => (
            <RecordDialog label={t('case_records.open')} name={t('case_records.review_open_named', { date: fmt.date(r.held_on) })} title={t('case_records.review_title', { date: fmt.date(r.held_on) })}>
              {() => <ReviewDetail reviewId={r.id} goals={goalList} />}
            </RecordDialog>
          ),
        },
      ]}
    />
  );
}
