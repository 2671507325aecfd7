// Changing a stay from the bed board (`cases.work`, on the cases one may see): admitting a
// reserved client or cancelling the reservation, recording a departure, or moving the planned
// end. The placement is read with its version when the dialog opens.
import { Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { useVersioned } from '../../api/versioned';
import { FormActions } from '../../components/FormActions';
import { useEnumLabel } from '../../components/EnumLabel';
import { QueryState } from '../../components/Page';
import { useZodForm } from '../../forms/useZodForm';
import { useFormat } from '../../i18n/format';
import { LEAVE_REASONS } from '../../vocab';
import { BOARD_KEYS } from './BoardAdmin';
import { stayActions, stayPatch, staySchema } from './boardForms';
import { localDate } from '../../forms/instant';

function ChangeStayForm({ placement, etag, close }: { placement: Schemas['PlacementOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const actions = stayActions(placement.status);
  const form = useZodForm(staySchema, {
    action: actions[0] ?? 'planned_end',
    left_on: localDate(),
    leave_reason: '',
    planned_end: placement.end_on ?? '',
  });
  const save = useWrite(
    (body: Schemas['PlacementPatchIn']) => unwrap(api.PATCH('/api/v1/placements/{id}', { params: { path: { id: placement.id }, header: { 'If-Match': etag } }, body })),
    [...BOARD_KEYS, ['placements'], ['shelters']],
  );
  const { action } = form.values;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync(stayPatch(d));
        close();
      })}
    >
      <Stack>
        <Text size="sm">
          {t('shelter_admin.stay_summary', { status: label('PlacementStatus', placement.status), start: fmt.date(placement.start_on), end: fmt.date(placement.end_on) })}
        </Text>
        {actions.length === 0 ? (
          <Text>{t('shelter_admin.stay_ended')}</Text>
        ) : (
          <>
            <Select
              label={t('shelter_admin.stay_action')}
              data={actions.map((a) => ({ value: a, label: t(`shelter_admin.stay_${a}`) }))}
              value={action}
              onChange={(v) => form.set('action', (v ?? action) as typeof action)}
              allowDeselect={false}
            />
            {action === 'leave' && (
              <>
                <TextInput type="date" label={t('shelter_admin.left_on')} required value={form.values.left_on} onChange={(e) => form.set('left_on', e.currentTarget.value)} error={form.error('left_on')} />
                <Select
                  label={t('shelter_admin.leave_reason')}
                  required
                  data={LEAVE_REASONS.map((r) => ({ value: r, label: t(`shelter_admin.leave_${r}`) }))}
                  value={form.values.leave_reason || null}
                  onChange={(v) => form.set('leave_reason', v ?? '')}
                  error={form.error('leave_reason')}
                />
              </>
            )}
            {action === 'planned_end' && (
              <TextInput
                type="date"
                label={t('shelter_admin.planned_end')}
                description={t('shelter_admin.planned_end_hint')}
                value={form.values.planned_end}
                onChange={(e) => form.set('planned_end', e.currentTarget.value)}
                error={form.error('planned_end')}
              />
            )}
            <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
          </>
        )}
      </Stack>
    </form>
  );
}

export function ChangeStay({ id, close }: { id: string; close: () => void }) {
  const placement = useVersioned(['placement', id], () => api.GET('/api/v1/placements/{id}', { params: { path: { id } } }));
  return <QueryState query={placement}>{({ data, etag }) => <ChangeStayForm placement={data} etag={etag} close={close} />}</QueryState>;
}
