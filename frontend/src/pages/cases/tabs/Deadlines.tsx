// The deadlines of a case, setting one by hand, and starting a step of the organisation's
// procedure by hand (a renewal, the next permit), which adds the step's deadlines.
import { useState } from 'react';
import { Alert, Card, List, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { ChangeRecord } from '../../../components/EditDialog';
import { useFormat } from '../../../i18n/format';
import { localDate } from '../../../forms/instant';

export const DEADLINE_STATUSES = ['open', 'done', 'cancelled'] as const satisfies ReadonlyArray<Schemas['DeadlineStatus']>;

/** The steps of the organisation's procedure template, in the template's order. */
export function templateSteps(settings: Schemas['SettingsOut'] | undefined, templates: Schemas['TemplatePage'] | undefined): Schemas['Step'][] {
  return templates?.items.find((tpl) => tpl.id === settings?.procedure_template)?.steps ?? [];
}

/** Where a deadline comes from (`procedure:be:1`, `document:<id>`, `support_plan`, `manual`). */
export function deadlineSource(source: string): 'procedure' | 'document' | 'support_plan' | 'hearing' | 'manual' | 'other' {
  const head = source.split(':')[0] ?? '';
  return (['procedure', 'document', 'support_plan', 'hearing', 'manual'] as const).find((s) => s === head) ?? 'other';
}

const stepSchema = z.object({
  step: z.string().min(1, 'validation.required'),
  started_on: z.string().min(1, 'validation.required'),
});

export function ProcedureStep({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => unwrap(api.GET('/api/v1/settings')) });
  const templates = useQuery({ queryKey: ['procedure-templates'], queryFn: () => unwrap(api.GET('/api/v1/procedure-templates')) });
  const steps = templateSteps(settings.data, templates.data);
  const [started, setStarted] = useState<Schemas['DeadlineOut'][] | null>(null);
  const form = useZodForm(stepSchema, { step: '', started_on: localDate() });
  const start = useWrite(
    (body: Schemas['ProcedureStepIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/procedure-steps', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['deadlines'], ['agenda'], ['timeline', caseId]],
  );
  return (
    <Card withBorder component="section" aria-labelledby="steps-title">
      <Title order={2} size="h4" id="steps-title" mb="xs">
        {t('legal_edit.steps_title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('legal_edit.steps_hint')}
      </Text>
      <form
        noValidate
        aria-label={t('legal_edit.steps_title')}
        onSubmit={form.onSubmit(async (d) => {
          setStarted(null);
          const out = await start.mutateAsync(d);
          setStarted(out.items);
        })}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('legal_edit.step')}
              required
              data={steps.map((s) => ({ value: s.code, label: s.title }))}
              value={form.values.step || null}
              onChange={(v) => form.set('step', v ?? '')}
              error={form.error('step')}
            />
            <TextInput type="date" label={t('legal_edit.started_on')} required value={form.values.started_on} onChange={(e) => form.set('started_on', e.currentTarget.value)} error={form.error('started_on')} />
          </SimpleGrid>
          <FormActions error={form.formError} submitting={form.submitting} />
          {started && (
            <Alert color="teal" role="status">
              <Text size="sm" fw={500}>
                {t('legal_edit.step_started', { n: fmt.number(started.length) })}
              </Text>
              <List size="sm">
                {started.map((d) => (
                  <List.Item key={d.id}>
                    {d.title} — {fmt.date(d.due_on)}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
        </Stack>
      </form>
    </Card>
  );
}

const deadlineSchema = z.object({
  due_on: z.string().min(1, 'validation.required'),
  status: z.enum(DEADLINE_STATUSES),
});

function EditDeadline({ deadline, etag, close }: { deadline: Schemas['DeadlineOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(deadlineSchema, { due_on: deadline.due_on, status: deadline.status });
  const save = useWrite(
    (body: Schemas['DeadlinePatchIn']) => unwrap(api.PATCH('/api/v1/deadlines/{id}', { params: { path: { id: deadline.id }, header: { 'If-Match': etag } }, body })),
    [['deadlines'], ['agenda'], ['timeline', deadline.case_id]],
  );
  return (
    <form
      noValidate
      aria-label={t('legal_edit.deadline_change_title')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync({
          ...(d.due_on !== deadline.due_on ? { due_on: d.due_on } : {}),
          ...(d.status !== deadline.status ? { status: d.status } : {}),
        });
        close();
      })}
    >
      <Stack>
        <Text fw={500}>{deadline.title}</Text>
        <TextInput type="date" label={t('legal_edit.due_on')} required value={form.values.due_on} onChange={(e) => form.set('due_on', e.currentTarget.value)} error={form.error('due_on')} />
        <Select
          label={t('legal_edit.deadline_status')}
          data={DEADLINE_STATUSES.map((value) => ({ value, label: t(`legal_edit.deadline_statuses.${value}`) }))}
          value={form.values.status}
          onChange={(v) => v && form.set('status', v as Schemas['DeadlineStatus'])}
          allowDeselect={false}
        />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

const newDeadlineSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'validation.required')
    .max(200, 'validation.too_long'),
  due_on: z.string().min(1, 'validation.required'),
});

/** A deadline set by hand: what falls due (never a person's name) and when. */
function NewDeadline({ caseId, close }: { caseId: string; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(newDeadlineSchema, { title: '', due_on: '' });
  const add = useWrite(
    (body: Schemas['DeadlineIn']) => unwrap(api.POST('/api/v1/deadlines', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['deadlines'], ['agenda'], ['timeline', caseId]],
  );
  return (
    <form
      noValidate
      aria-label={t('legal_edit.deadline_add')}
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({ case_id: caseId, title: d.title, due_on: d.due_on });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('legal_edit.deadline')} description={t('legal_edit.deadline_title_hint')} required maxLength={200} value={form.values.title} onChange={(e) => form.set('title', e.currentTarget.value)} error={form.error('title')} />
          <TextInput type="date" label={t('legal_edit.due_on')} required value={form.values.due_on} onChange={(e) => form.set('due_on', e.currentTarget.value)} error={form.error('due_on')} />
        </SimpleGrid>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export function CaseDeadlines({ caseId, works }: { caseId: string; works: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const deadlines = useQuery({
    queryKey: ['deadlines', 'case', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/deadlines', { params: { query: { case_id: caseId, status: 'all', limit: 200 } } })),
  });
  return (
    <>
      <ListCard
        id="case-deadlines-title"
        title={t('legal_edit.deadlines')}
        query={deadlines}
        addLabel={t('legal_edit.deadline_add')}
        {...(works ? { renderForm: (close: () => void) => <NewDeadline caseId={caseId} close={close} /> } : {})}
        columns={[
          { header: t('legal_edit.deadline'), cell: (d) => d.title },
          { header: t('legal_edit.due_on'), cell: (d) => fmt.date(d.due_on) },
          { header: t('legal_edit.deadline_status'), cell: (d) => t(`legal_edit.deadline_statuses.${d.status}`, { defaultValue: d.status }) },
          { header: t('legal_edit.source'), cell: (d) => t(`legal_edit.sources.${deadlineSource(d.source)}`) },
          ...(works
            ? [
                {
                  header: t('casework.actions'),
                  cell: (d: Schemas['DeadlineOut']) => (
                    <ChangeRecord
                      label={t('legal_edit.change')}
                      ariaLabel={t('legal_edit.deadline_change_named', { title: d.title })}
                      title={t('legal_edit.deadline_change_title')}
                      queryKey={['deadline', d.id]}
                      read={() => unwrapVersioned(api.GET('/api/v1/deadlines/{id}', { params: { path: { id: d.id } } }))}
                    >
                      {(full, etag, close) => <EditDeadline deadline={full} etag={etag} close={close} />}
                    </ChangeRecord>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
