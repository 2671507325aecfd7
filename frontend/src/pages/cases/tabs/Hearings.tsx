// The hearings of one proceeding: recorded, moved, marked held with their outcome. A scheduled
// hearing puts a deadline in the agenda on its day, so changes refresh the deadlines too.
import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { toInstant, toLocalInput } from '../../../forms/instant';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { ChangeRecord } from '../../../components/EditDialog';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import { HEARING_STATUSES } from '../../../vocab';

const schema = z.object({
  held_at: z.string().min(1, 'validation.required'),
  place: z.string().max(200, 'validation.too_long'),
  status: z.enum(HEARING_STATUSES as [Schemas['HearingStatus'], ...Schemas['HearingStatus'][]]),
  outcome: z.string().max(5000, 'validation.too_long'),
});
type Values = z.output<typeof schema>;

function useHearingStatuses() {
  const { t } = useTranslation();
  return HEARING_STATUSES.map((value) => ({ value, label: t(`legal_edit.hearing_statuses.${value}`) }));
}

function HearingFields({ form, outcome }: { form: ReturnType<typeof useZodForm<typeof schema>>; outcome: boolean }) {
  const { t } = useTranslation();
  const statuses = useHearingStatuses();
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput type="datetime-local" label={t('legal_edit.held_at')} required value={form.values.held_at} onChange={(e) => form.set('held_at', e.currentTarget.value)} error={form.error('held_at')} />
        <TextInput label={t('legal_edit.place')} maxLength={200} value={form.values.place} onChange={(e) => form.set('place', e.currentTarget.value)} error={form.error('place')} />
        <Select label={t('legal_edit.hearing_status')} data={statuses} value={form.values.status} onChange={(v) => v && form.set('status', v as Schemas['HearingStatus'])} allowDeselect={false} />
      </SimpleGrid>
      {outcome && (
        <Textarea label={t('legal_edit.outcome')} description={t('legal_edit.outcome_hint')} autosize minRows={2} maxLength={5000} value={form.values.outcome} onChange={(e) => form.set('outcome', e.currentTarget.value)} error={form.error('outcome')} />
      )}
    </>
  );
}

const invalidations = (h: { proceeding_id: string; case_id: string }) => [['hearings', h.proceeding_id], ['deadlines'], ['agenda'], ['timeline', h.case_id]];

function HearingForm({ proceeding, close }: { proceeding: Schemas['ProceedingOut']; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(schema, { held_at: '', place: '', status: 'scheduled', outcome: '' });
  const add = useWrite(
    (body: Schemas['HearingIn']) =>
      unwrap(api.POST('/api/v1/proceedings/{id}/hearings', { params: { path: { id: proceeding.id } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    invalidations({ proceeding_id: proceeding.id, case_id: proceeding.case_id }),
  );
  return (
    <form
      noValidate
      aria-label={t('legal_edit.hearing_add')}
      onSubmit={form.onSubmit(async (d: Values) => {
        await add.mutateAsync({
          held_at: toInstant(d.held_at),
          status: d.status,
          ...(d.place.trim() ? { place: d.place.trim() } : {}),
          ...(proceeding.sealed_shown && d.outcome.trim() ? { outcome: d.outcome.trim() } : {}),
        });
        close();
      })}
    >
      <Stack mb="md">
        <HearingFields form={form} outcome={proceeding.sealed_shown} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

function EditHearing({ hearing, etag, close }: { hearing: Schemas['HearingOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(schema, { held_at: toLocalInput(hearing.held_at), place: hearing.place ?? '', status: hearing.status, outcome: hearing.outcome ?? '' });
  const save = useWrite(
    (body: Schemas['HearingPatchIn']) => unwrap(api.PATCH('/api/v1/hearings/{id}', { params: { path: { id: hearing.id }, header: { 'If-Match': etag } }, body })),
    invalidations(hearing),
  );
  return (
    <form
      noValidate
      aria-label={t('legal_edit.hearing_change_title')}
      onSubmit={form.onSubmit(async (d: Values) => {
        await save.mutateAsync({
          held_at: toInstant(d.held_at),
          status: d.status,
          place: d.place.trim() ? d.place.trim() : null,
          ...(hearing.sealed_shown ? { outcome: d.outcome.trim() ? d.outcome.trim() : null } : {}),
        });
        close();
      })}
    >
      <Stack>
        <HearingFields form={form} outcome={hearing.sealed_shown} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export function Hearings({ proceeding, works }: { proceeding: Schemas['ProceedingOut']; works: boolean }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const hearings = useQuery({
    queryKey: ['hearings', proceeding.id],
    queryFn: () => unwrap(api.GET('/api/v1/proceedings/{id}/hearings', { params: { path: { id: proceeding.id }, query: { limit: 200 } } })),
  });
  return (
    <>
      <ListCard
        id="hearings-title"
        title={t('legal_edit.hearings_of', { type: label('ProceedingType', proceeding.type) })}
        query={hearings}
        addLabel={t('legal_edit.hearing_add')}
        {...(works ? { renderForm: (close: () => void) => <HearingForm proceeding={proceeding} close={close} /> } : {})}
        columns={[
          { header: t('legal_edit.held_at'), cell: (h) => fmt.dateTime(h.held_at) },
          { header: t('legal_edit.place'), cell: (h) => h.place ?? '—' },
          { header: t('legal_edit.hearing_status'), cell: (h) => t(`legal_edit.hearing_statuses.${h.status}`) },
          ...(works
            ? [
                {
                  header: t('casework.actions'),
                  cell: (h: Schemas['HearingOut']) => (
                    <ChangeRecord
                      label={t('legal_edit.change')}
                      ariaLabel={t('legal_edit.hearing_change_named', { date: fmt.dateTime(h.held_at) })}
                      title={t('legal_edit.hearing_change_title')}
                      size="lg"
                      queryKey={['hearing', h.id]}
                      read={() => unwrapVersioned(api.GET('/api/v1/hearings/{id}', { params: { path: { id: h.id } } }))}
                    >
                      {(full, etag, close) => <EditHearing hearing={full} etag={etag} close={close} />}
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
