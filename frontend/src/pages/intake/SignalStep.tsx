import { MultiSelect, Select, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Schemas } from '../../api/client';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { useEnumLabel } from '../../components/EnumLabel';
import { enumOptions, EXPLOITATION_TYPES, TRAFFICKING_STATUSES } from '../../vocab';

export const signalSchema = z.object({
  reason: z.string().trim().min(1, 'validation.required').max(1000, 'validation.too_long'),
  trafficking_status: z.enum(TRAFFICKING_STATUSES as [Schemas['TraffickingStatus'], ...Schemas['TraffickingStatus'][]]),
  exploitation_types: z.array(z.string()),
});
export type Signal = z.output<typeof signalSchema>;

export function SignalStep({ initial, onDone }: { initial: Signal | null; onDone: (s: Signal) => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(signalSchema, initial ?? { reason: '', trafficking_status: 'possible', exploitation_types: [] });
  return (
    <form noValidate onSubmit={form.onSubmit(async (d) => onDone(d))}>
      <Stack maw={640}>
        <Textarea
          label={t('intake.reason')}
          description={t('intake.reason_hint')}
          required
          autosize
          minRows={3}
          value={form.values.reason}
          onChange={(e) => form.set('reason', e.currentTarget.value)}
          error={form.error('reason')}
        />
        <Select
          label={t('client.trafficking_status')}
          data={enumOptions(TRAFFICKING_STATUSES, 'TraffickingStatus', label)}
          value={form.values.trafficking_status}
          onChange={(v) => v && form.set('trafficking_status', v as Schemas['TraffickingStatus'])}
          allowDeselect={false}
        />
        <MultiSelect
          label={t('client.exploitation')}
          data={enumOptions(EXPLOITATION_TYPES, 'ExploitationType', label)}
          value={form.values.exploitation_types}
          onChange={(v) => form.set('exploitation_types', v)}
        />
        <FormActions error={form.formError} submitting={form.submitting} />
      </Stack>
    </form>
  );
}
