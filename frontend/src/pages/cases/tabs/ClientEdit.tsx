// Changing a client's details and identity. The API replaces the whole record (what is left out
// is cleared), so the form starts from the record as read now and sends back everything it does
// not show unchanged. Only roles that read identities are offered it: a record read without its
// identity would erase it.
import { Fieldset, MultiSelect, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { useWrite } from '../../../api/mutate';
import { useVersioned } from '../../../api/versioned';
import { FormActions } from '../../../components/FormActions';
import { QueryState } from '../../../components/Page';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useZodForm } from '../../../forms/useZodForm';
import { AGE_BANDS, enumOptions, EXPLOITATION_TYPES, GENDERS, NEEDS, TRAFFICKING_STATUSES } from '../../../vocab';

const optional = (max: number) => z.string().trim().max(max, 'validation.too_long');

// Field names are the API's paths, so its `errors[]` land on the right inputs.
export const clientEditSchema = z.object({
  'details.gender': z.enum(GENDERS as [Schemas['Gender'], ...Schemas['Gender'][]], { message: 'validation.required' }),
  'details.trafficking_status': z.enum(TRAFFICKING_STATUSES as [Schemas['TraffickingStatus'], ...Schemas['TraffickingStatus'][]], { message: 'validation.required' }),
  'details.age_band': z.string(),
  'details.nationality': z.string().trim().regex(/^([A-Za-z]{2})?$/, 'validation.country'),
  'details.languages': z.string().trim().regex(/^([a-z]{2,3}(\s*,\s*[a-z]{2,3})*)?$/, 'validation.languages'),
  'details.needs': z.array(z.string()),
  'details.exploitation_types': z.array(z.string()),
  'details.identity.legal_given_name': optional(200),
  'details.identity.legal_family_name': optional(200),
  'details.identity.used_name': optional(200),
  'details.identity.date_of_birth': z.string(),
  'details.identity.phone': optional(50),
  'details.identity.email': z.string().trim().max(254, 'validation.too_long').regex(/^([^\s@]+@[^\s@]+)?$/, 'validation.email'),
});
export type ClientEditForm = z.output<typeof clientEditSchema>;

/** The form's values for a client's details. */
export function clientEditValues(d: Schemas['ClientDetails']): ClientEditForm {
  const id = d.identity ?? {};
  return {
    'details.gender': d.gender,
    'details.trafficking_status': d.trafficking_status,
    'details.age_band': d.age_band ?? '',
    'details.nationality': d.nationality ?? '',
    'details.languages': (d.languages ?? []).join(', '),
    'details.needs': d.needs ?? [],
    'details.exploitation_types': d.exploitation_types ?? [],
    'details.identity.legal_given_name': id.legal_given_name ?? '',
    'details.identity.legal_family_name': id.legal_family_name ?? '',
    'details.identity.used_name': id.used_name ?? '',
    'details.identity.date_of_birth': id.date_of_birth ?? '',
    'details.identity.phone': id.phone ?? '',
    'details.identity.email': id.email ?? '',
  };
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

/** The full details to send: the record as read, with the form's fields put over it. */
export function clientUpdate(read: Schemas['ClientDetails'], f: ClientEditForm): Schemas['ClientUpdateIn'] {
  return {
    details: {
      ...read,
      gender: f['details.gender'],
      trafficking_status: f['details.trafficking_status'],
      age_band: (f['details.age_band'] || null) as Schemas['AgeBand'] | null,
      nationality: f['details.nationality'].trim() ? f['details.nationality'].trim().toUpperCase() : null,
      languages: f['details.languages'].split(',').map((l) => l.trim()).filter(Boolean),
      needs: f['details.needs'] as Schemas['Need'][],
      exploitation_types: f['details.exploitation_types'] as Schemas['ExploitationType'][],
      identity: {
        ...read.identity,
        legal_given_name: orNull(f['details.identity.legal_given_name']),
        legal_family_name: orNull(f['details.identity.legal_family_name']),
        used_name: orNull(f['details.identity.used_name']),
        date_of_birth: orNull(f['details.identity.date_of_birth']),
        phone: orNull(f['details.identity.phone']),
        email: orNull(f['details.identity.email']),
      },
    },
  };
}

function ClientEditForm({ clientId, client, etag, close }: { clientId: string; client: Schemas['ClientOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(clientEditSchema, clientEditValues(client.details));
  const save = useWrite(
    (body: Schemas['ClientUpdateIn']) =>
      unwrap(api.PATCH('/api/v1/clients/{id}', { params: { path: { id: clientId }, header: { 'If-Match': etag } }, body })),
    [['client', clientId], ['cases']],
  );
  const text = (name: keyof ClientEditForm & string, lbl: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={lbl}
      value={form.values[name] as string}
      onChange={(e) => form.set(name, e.currentTarget.value as never)}
      error={form.error(name)}
      autoComplete="off"
      {...extra}
    />
  );
  return (
    <form
      noValidate
      aria-label={t('case_records.client_edit')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync(clientUpdate(client.details, d));
        close();
      })}
    >
      <Stack>
        <Fieldset legend={t('client.profile')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label={t('client.gender')} required allowDeselect={false} data={enumOptions(GENDERS, 'Gender', label)} value={form.values['details.gender']} onChange={(v) => v && form.set('details.gender', v as Schemas['Gender'])} error={form.error('details.gender')} />
            <Select
              label={t('client.trafficking_status')}
              required
              allowDeselect={false}
              data={enumOptions(TRAFFICKING_STATUSES, 'TraffickingStatus', label)}
              value={form.values['details.trafficking_status']}
              onChange={(v) => v && form.set('details.trafficking_status', v as Schemas['TraffickingStatus'])}
              error={form.error('details.trafficking_status')}
            />
            <Select label={t('client.age_band')} clearable data={enumOptions(AGE_BANDS, 'AgeBand', label)} value={form.values['details.age_band'] || null} onChange={(v) => form.set('details.age_band', v ?? '')} error={form.error('details.age_band')} />
            {text('details.nationality', t('client.nationality'), { description: t('cases.nationality_hint'), maxLength: 2 })}
            {text('details.languages', t('client.languages'), { description: t('client.languages_hint') })}
            <MultiSelect label={t('client.needs')} data={enumOptions(NEEDS, 'Need', label)} value={form.values['details.needs']} onChange={(v) => form.set('details.needs', v)} />
          </SimpleGrid>
          <MultiSelect
            mt="sm"
            label={t('client.exploitation')}
            data={enumOptions(EXPLOITATION_TYPES, 'ExploitationType', label)}
            value={form.values['details.exploitation_types']}
            onChange={(v) => form.set('details.exploitation_types', v)}
          />
        </Fieldset>
        <Fieldset legend={t('client.identity')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('details.identity.legal_given_name', t('client.given_name'))}
            {text('details.identity.legal_family_name', t('client.family_name'))}
            {text('details.identity.used_name', t('client.used_name'))}
            {text('details.identity.date_of_birth', t('client.date_of_birth'), { type: 'date' })}
            {text('details.identity.phone', t('client.phone'), { type: 'tel' })}
            {text('details.identity.email', t('case_records.email'), { type: 'email' })}
          </SimpleGrid>
        </Fieldset>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

/** The dialog's content: the client read afresh with its ETag, then the form. */
export function ClientEdit({ clientId, close }: { clientId: string; close: () => void }) {
  const client = useVersioned(['client', clientId, 'edit'], () => api.GET('/api/v1/clients/{id}', { params: { path: { id: clientId } } }));
  return <QueryState query={client}>{({ data, etag }) => <ClientEditForm clientId={clientId} client={data} etag={etag} close={close} />}</QueryState>;
}
