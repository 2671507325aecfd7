// Training sessions given to outside professionals: when, for whom, how many, which course.
import { NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { AUDIENCES, enumOptions, SESSION_DELIVERIES } from '../../vocab';
import { useCourses } from './Library';
import { ChangeSession, SessionsSummary } from './SessionEdit';
import { localDate } from '../../forms/instant';

const schema = z.object({
  course_id: z.string().min(1, 'validation.required'),
  held_on: z.string().min(1, 'validation.required'),
  audience: z.enum(AUDIENCES as [Schemas['Audience'], ...Schemas['Audience'][]], { message: 'validation.required' }),
  delivery: z.enum(SESSION_DELIVERIES as [Schemas['SessionDelivery'], ...Schemas['SessionDelivery'][]]),
  participant_count: z.number({ message: 'validation.required' }).int().min(1, 'validation.positive').max(10000, 'validation.too_large'),
  place: z.string().trim().max(200, 'validation.too_long').optional(),
});

function SessionForm({ close }: { close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const me = useMe();
  const courses = useCourses();
  const form = useZodForm(schema, {
    course_id: '',
    held_on: localDate(),
    audience: undefined as unknown as Schemas['Audience'],
    delivery: 'in_person',
    participant_count: 10,
    place: '',
  });
  const add = useWrite(
    (body: Schemas['SessionIn']) => unwrap(api.POST('/api/v1/training/sessions', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['training-sessions']],
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({ ...d, place: d.place?.trim() ? d.place.trim() : null, trainer_ids: [me.id] });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('library.course')} required searchable data={(courses.data?.items ?? []).map((c) => ({ value: c.id, label: c.version.title }))} value={form.values.course_id || null} onChange={(v) => form.set('course_id', v ?? '')} error={form.error('course_id')} />
          <TextInput type="date" label={t('sessions.held_on')} required value={form.values.held_on} onChange={(e) => form.set('held_on', e.currentTarget.value)} error={form.error('held_on')} />
          <Select label={t('library.audience')} required data={enumOptions(AUDIENCES, 'Audience', label)} value={form.values.audience ?? null} onChange={(v) => form.set('audience', v as Schemas['Audience'])} error={form.error('audience')} />
          <Select label={t('sessions.delivery')} required data={enumOptions(SESSION_DELIVERIES, 'SessionDelivery', label)} value={form.values.delivery} onChange={(v) => v && form.set('delivery', v as Schemas['SessionDelivery'])} allowDeselect={false} />
          <NumberInput label={t('sessions.participants')} required min={1} value={form.values.participant_count} onChange={(v) => form.set('participant_count', typeof v === 'number' ? v : Number.NaN)} error={form.error('participant_count')} />
          <TextInput label={t('sessions.place')} value={form.values.place ?? ''} onChange={(e) => form.set('place', e.currentTarget.value)} error={form.error('place')} />
        </SimpleGrid>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Sessions() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const courses = useCourses();
  const title = (id: string) => courses.data?.items.find((c) => c.id === id)?.version.title ?? '—';
  const sessions = useQuery({
    queryKey: ['training-sessions'],
    queryFn: () => unwrap(api.GET('/api/v1/training/sessions', { params: { query: { limit: 200 } } })),
  });
  return (
    <Page title={t('nav.sessions')}>
      <ListCard
        id="sessions-title"
        title={t('sessions.title')}
        query={sessions}
        addLabel={t('sessions.add')}
        {...(can('training.manage') ? { renderForm: (close: () => void) => <SessionForm close={close} /> } : {})}
        columns={[
          { header: t('sessions.held_on'), cell: (s) => fmt.date(s.held_on) },
          { header: t('library.course'), cell: (s) => title(s.course_id) },
          { header: t('library.audience'), cell: (s) => label('Audience', s.audience) },
          { header: t('sessions.delivery'), cell: (s) => label('SessionDelivery', s.delivery) },
          { header: t('sessions.participants'), cell: (s) => fmt.number(s.participant_count) },
          ...(can('training.manage') ? [{ header: t('casework.actions'), cell: (s: Schemas['SessionOut']) => <ChangeSession session={s} course={title(s.course_id)} /> }] : []),
        ]}
      />
      <SessionsSummary />
    </Page>
  );
}
