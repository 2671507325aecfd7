import { Button, Fieldset, Group, MultiSelect, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey } from '../../api/mutate';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { useEnumLabel } from '../../components/EnumLabel';
import { AGE_BANDS, enumOptions, GENDERS, NEEDS } from '../../vocab';
import type { Signal } from './SignalStep';

const optional = (max: number) => z.string().trim().max(max, 'validation.too_long').optional();

// Field names are the API's paths, so its `errors[]` land on the right inputs.
export const clientSchema = z.object({
  'details.gender': z.enum(GENDERS as [Schemas['Gender'], ...Schemas['Gender'][]], { message: 'validation.required' }),
  'details.age_band': z.string().optional(),
  'details.nationality': z
    .string()
    .trim()
    .regex(/^([A-Za-z]{2})?$/, 'validation.country')
    .optional(),
  'details.languages': z.string().trim().regex(/^([a-z]{2,3}(\s*,\s*[a-z]{2,3})*)?$/, 'validation.languages').optional(),
  'details.needs': z.array(z.string()),
  'details.identity.legal_given_name': optional(200),
  'details.identity.legal_family_name': optional(200),
  'details.identity.used_name': optional(200),
  'details.identity.date_of_birth': z.string().optional(),
  'details.identity.phone': optional(50),
});
type ClientForm = z.output<typeof clientSchema>;

function blank(v: string | undefined) {
  return v && v.trim() ? v.trim() : undefined;
}

export function toClientIn(signal: Signal, f: ClientForm): Schemas['ClientIn'] {
  const identity = {
    legal_given_name: blank(f['details.identity.legal_given_name']),
    legal_family_name: blank(f['details.identity.legal_family_name']),
    used_name: blank(f['details.identity.used_name']),
    date_of_birth: blank(f['details.identity.date_of_birth']),
    phone: blank(f['details.identity.phone']),
  };
  const hasIdentity = Object.values(identity).some(Boolean);
  return {
    reason: signal.reason,
    details: {
      gender: f['details.gender'],
      trafficking_status: signal.trafficking_status,
      exploitation_types: signal.exploitation_types as Schemas['ExploitationType'][],
      ...(f['details.age_band'] ? { age_band: f['details.age_band'] as Schemas['AgeBand'] } : {}),
      ...(blank(f['details.nationality']) ? { nationality: f['details.nationality']?.toUpperCase() } : {}),
      languages: (f['details.languages'] ?? '').split(',').map((l) => l.trim()).filter(Boolean),
      needs: f['details.needs'] as Schemas['Need'][],
      ...(hasIdentity ? { identity } : {}),
    },
  };
}

export function ClientStep({
  signal,
  onBack,
  onCreated,
}: {
  signal: Signal;
  onBack: () => void;
  onCreated: (caseId: string, duplicates: number) => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(clientSchema, {
    'details.gender': undefined as unknown as Schemas['Gender'],
    'details.age_band': '',
    'details.nationality': '',
    'details.languages': '',
    'details.needs': [],
    'details.identity.legal_given_name': '',
    'details.identity.legal_family_name': '',
    'details.identity.used_name': '',
    'details.identity.date_of_birth': '',
    'details.identity.phone': '',
  });
  const text = (name: keyof ClientForm & string, lbl: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={lbl}
      value={(form.values[name] as string | undefined) ?? ''}
      onChange={(e) => form.set(name, e.currentTarget.value as never)}
      error={form.error(name)}
      autoComplete="off"
      {...extra}
    />
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        const created = await unwrap(
          api.POST('/api/v1/clients', { body: toClientIn(signal, d), headers: { 'Idempotency-Key': idempotencyKey() } }),
        );
        onCreated(created.case_id, created.possible_duplicates.length);
      })}
    >
      <Stack maw={760}>
        <Fieldset legend={t('client.profile')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('client.gender')}
              required
              data={enumOptions(GENDERS, 'Gender', label)}
              value={form.values['details.gender'] ?? null}
              onChange={(v) => form.set('details.gender', v as Schemas['Gender'])}
              error={form.error('details.gender')}
            />
            <Select
              label={t('client.age_band')}
              clearable
              data={enumOptions(AGE_BANDS, 'AgeBand', label)}
              value={form.values['details.age_band'] || null}
              onChange={(v) => form.set('details.age_band', v ?? '')}
              error={form.error('details.age_band')}
            />
            {text('details.nationality', t('client.nationality'), { description: t('cases.nationality_hint'), maxLength: 2 })}
            {text('details.languages', t('client.languages'), { description: t('client.languages_hint') })}
            <MultiSelect
              label={t('client.needs')}
              data={enumOptions(NEEDS, 'Need', label)}
              value={form.values['details.needs']}
              onChange={(v) => form.set('details.needs', v)}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={t('client.identity')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('details.identity.legal_given_name', t('client.given_name'))}
            {text('details.identity.legal_family_name', t('client.family_name'))}
            {text('details.identity.used_name', t('client.used_name'))}
            {text('details.identity.date_of_birth', t('client.date_of_birth'), { type: 'date' })}
            {text('details.identity.phone', t('client.phone'), { type: 'tel' })}
          </SimpleGrid>
        </Fieldset>
        <Group>
          <Button variant="default" onClick={onBack}>
            {t('common.back')}
          </Button>
        </Group>
        <FormActions error={form.formError} submitting={form.submitting} />
      </Stack>
    </form>
  );
}
