// Changing a training session (never the course version it used), read with its version; and
// the people trained per audience and period.
import { useState } from 'react';
import { Card, NumberInput, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ChangeRecord } from '../../components/EditDialog';
import { QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { AUDIENCES, enumOptions, SESSION_DELIVERIES } from '../../vocab';

const score = z.number().int().min(0, 'training_edit.score_range').max(100, 'training_edit.score_range').nullable();

const schema = z.object({
  held_on: z.string().min(1, 'validation.required'),
  audience: z.enum(AUDIENCES as [Schemas['Audience'], ...Schemas['Audience'][]]),
  delivery: z.enum(SESSION_DELIVERIES as [Schemas['SessionDelivery'], ...Schemas['SessionDelivery'][]]),
  participant_count: z.number({ message: 'validation.required' }).int().min(1, 'validation.positive').max(10000, 'validation.too_large'),
  place: z.string().max(200, 'validation.too_long'),
  online_link: z.string().max(500, 'validation.too_long'),
  pre_score: score,
  post_score: score,
  notes: z.string().max(4000, 'validation.too_long'),
});

const blank = (v: string) => (v.trim() ? v.trim() : null);
const scoreValue = (v: string | number) => (typeof v === 'number' ? v : null);

function SessionForm({ session, etag, close }: { session: Schemas['SessionOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(schema, {
    held_on: session.held_on,
    audience: session.audience,
    delivery: session.delivery,
    participant_count: session.participant_count,
    place: session.place ?? '',
    online_link: session.online_link ?? '',
    pre_score: session.pre_score ?? null,
    post_score: session.post_score ?? null,
    notes: session.notes ?? '',
  });
  const save = useWrite(
    (body: Schemas['SessionPatchIn']) => unwrap(api.PATCH('/api/v1/training/sessions/{id}', { params: { path: { id: session.id }, header: { 'If-Match': etag } }, body })),
    [['training-sessions'], ['training-summary']],
  );
  return (
    <form
      noValidate
      aria-label={t('training_edit.session_change_title')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync({ ...d, place: blank(d.place), online_link: blank(d.online_link), notes: blank(d.notes) });
        close();
      })}
    >
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput type="date" label={t('sessions.held_on')} required value={form.values.held_on} onChange={(e) => form.set('held_on', e.currentTarget.value)} error={form.error('held_on')} />
          <Select label={t('library.audience')} data={enumOptions(AUDIENCES, 'Audience', label)} value={form.values.audience} onChange={(v) => v && form.set('audience', v as Schemas['Audience'])} allowDeselect={false} />
          <Select label={t('sessions.delivery')} data={enumOptions(SESSION_DELIVERIES, 'SessionDelivery', label)} value={form.values.delivery} onChange={(v) => v && form.set('delivery', v as Schemas['SessionDelivery'])} allowDeselect={false} />
          <NumberInput label={t('sessions.participants')} required min={1} value={form.values.participant_count} onChange={(v) => form.set('participant_count', typeof v === 'number' ? v : Number.NaN)} error={form.error('participant_count')} />
          <TextInput label={t('sessions.place')} maxLength={200} value={form.values.place} onChange={(e) => form.set('place', e.currentTarget.value)} error={form.error('place')} />
          <TextInput label={t('training_edit.online_link')} type="url" maxLength={500} value={form.values.online_link} onChange={(e) => form.set('online_link', e.currentTarget.value)} error={form.error('online_link')} />
          <NumberInput label={t('training_edit.pre_score')} min={0} max={100} value={form.values.pre_score ?? ''} onChange={(v) => form.set('pre_score', scoreValue(v))} error={form.error('pre_score')} />
          <NumberInput label={t('training_edit.post_score')} min={0} max={100} value={form.values.post_score ?? ''} onChange={(v) => form.set('post_score', scoreValue(v))} error={form.error('post_score')} />
        </SimpleGrid>
        <Textarea label={t('training_edit.notes')} autosize minRows={2} maxLength={4000} value={form.values.notes} onChange={(e) => form.set('notes', e.currentTarget.value)} error={form.error('notes')} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export function ChangeSession({ session, course }: { session: Schemas['SessionOut']; course: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <ChangeRecord
      label={t('training_edit.change')}
      ariaLabel={t('training_edit.session_change_named', { course, date: fmt.date(session.held_on) })}
      title={t('training_edit.session_change_title')}
      size="lg"
      queryKey={['training-session', session.id]}
      read={() => unwrapVersioned(api.GET('/api/v1/training/sessions/{id}', { params: { path: { id: session.id } } }))}
    >
      {(s, etag, close) => <SessionForm session={s} etag={etag} close={close} />}
    </ChangeRecord>
  );
}

export const PERIODS: Schemas['SummaryPeriod'][] = ['month', 'quarter', 'year'];

/** People trained per audience and period over the organisation's sessions. */
export function SessionsSummary() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const [period, setPeriod] = useState<Schemas['SummaryPeriod']>('quarter');
  const summary = useQuery({
    queryKey: ['training-summary', period],
    queryFn: () => unwrap(api.GET('/api/v1/training/sessions/summary', { params: { query: { period } } })),
  });
  return (
    <Card withBorder component="section" aria-labelledby="summary-title">
      <Title order={2} size="h4" id="summary-title" mb="sm">
        {t('training_edit.summary_title')}
      </Title>
      <Select
        maw={240}
        mb="sm"
        label={t('training_edit.period')}
        data={PERIODS.map((p) => ({ value: p, label: t(`training_edit.periods.${p}`) }))}
        value={period}
        onChange={(v) => v && setPeriod(v as Schemas['SummaryPeriod'])}
        allowDeselect={false}
      />
      <QueryState query={summary}>
        {(s) =>
          s.rows.length === 0 ? (
            <Text c="dimmed">{t('common.none')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={400}>
              <Table striped data-testid="training-summary">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('training_edit.period')}</Table.Th>
                    <Table.Th>{t('library.audience')}</Table.Th>
                    <Table.Th>{t('training_edit.sessions_count')}</Table.Th>
                    <Table.Th>{t('training_edit.people_trained')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.rows.map((r) => (
                    <Table.Tr key={`${r.period}-${r.audience}`}>
                      <Table.Td>{r.period}</Table.Td>
                      <Table.Td>{label('Audience', r.audience)}</Table.Td>
                      <Table.Td>{fmt.number(r.sessions)}</Table.Td>
                      <Table.Td>{fmt.number(r.participants)}</Table.Td>
                    </Table.Tr>
                  ))}
                  {s.totals.map((r) => (
                    <Table.Tr key={`total-${r.audience}`} fw={700}>
                      <Table.Td>{t('training_edit.total')}</Table.Td>
                      <Table.Td>{label('Audience', r.audience)}</Table.Td>
                      <Table.Td>{fmt.number(r.sessions)}</Table.Td>
                      <Table.Td>{fmt.number(r.participants)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Card>
  );
}
