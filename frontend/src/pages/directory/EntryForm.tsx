// Adding an organisation to the referral directory: kept private to one's own organisation, or
// proposed to every organisation (it is shared once a platform administrator verifies it); and
// changing one's own entry (a verified shared entry's change is a proposal the platform verifies).
import { Checkbox, MultiSelect, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { FormActions } from '../../components/FormActions';
import { useEnumLabel } from '../../components/EnumLabel';
import { useZodForm } from '../../forms/useZodForm';
import { DIRECTORY_SERVICE_TYPES, enumOptions, PARTNER_ORGANISATION_TYPES } from '../../vocab';

const optional = (max: number) => z.string().trim().max(max, 'validation.too_long');

export const entrySchema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  organisation_type: z.enum(PARTNER_ORGANISATION_TYPES as [Schemas['PartnerOrganisationType'], ...Schemas['PartnerOrganisationType'][]], {
    message: 'validation.required',
  }),
  country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'validation.country'),
  service_types: z.array(z.string()).min(1, 'validation.required'),
  city: optional(100),
  region: optional(100),
  hours: optional(300),
  accessibility: optional(500),
  languages: z.string().trim().regex(/^([a-z]{2,3}(\s*,\s*[a-z]{2,3})*)?$/, 'validation.languages'),
  phone: optional(50),
  email: z.union([z.literal(''), z.string().trim().email('validation.email')]),
  website: z.union([z.literal(''), z.string().trim().regex(/^https?:\/\/\S+$/, 'validation.website')]),
  open_24_7: z.boolean(),
  description: optional(4000),
  share: z.boolean(),
});

export type EntryValues = z.output<typeof entrySchema>;

/** The API body of the form's values, in the writer's language for the description. */
export function entryBody(d: EntryValues, language: string): Schemas['EntryIn'] {
  const blank = (s: string) => (s.trim() ? s.trim() : null);
  const locale = language.split('-')[0] ?? 'en';
  return {
    name: d.name,
    organisation_type: d.organisation_type,
    country: d.country.toUpperCase(),
    service_types: d.service_types as Schemas['DirectoryServiceType'][],
    city: blank(d.city),
    region: blank(d.region),
    hours: blank(d.hours),
    accessibility: blank(d.accessibility),
    languages: d.languages.split(',').map((l) => l.trim()).filter(Boolean),
    phone: blank(d.phone),
    email: blank(d.email),
    website: blank(d.website),
    open_24_7: d.open_24_7,
    descriptions: d.description.trim() ? { [locale]: d.description.trim() } : {},
    visibility: d.share ? 'shared' : 'private',
  };
}

const NEW_ENTRY: z.input<typeof entrySchema> = {
  name: '',
  organisation_type: undefined as unknown as Schemas['PartnerOrganisationType'],
  country: '',
  service_types: [],
  city: '',
  region: '',
  hours: '',
  accessibility: '',
  languages: '',
  phone: '',
  email: '',
  website: '',
  open_24_7: false,
  description: '',
  share: false,
};

/** The form's values of an existing entry, with its description in the writer's language. */
export function entryValues(e: Schemas['EntryOut'], language: string): EntryValues {
  const locale = language.split('-')[0] ?? 'en';
  return {
    name: e.name,
    organisation_type: e.organisation_type,
    country: e.country,
    service_types: e.service_types,
    city: e.city ?? '',
    region: e.region ?? '',
    hours: e.hours ?? '',
    accessibility: e.accessibility ?? '',
    languages: e.languages.join(', '),
    phone: e.phone ?? '',
    email: e.email ?? '',
    website: e.website ?? '',
    open_24_7: e.open_24_7,
    description: e.descriptions[locale] ?? '',
    share: e.visibility === 'shared',
  };
}

/** Only the fields that changed; the description changes in the writer's language only, the
 * other languages' stay. `null` when nothing changed. */
export function entryPatch(e: Schemas['EntryOut'], d: EntryValues, language: string): Schemas['EntryPatchIn'] | null {
  const locale = language.split('-')[0] ?? 'en';
  const next = entryBody(d, language);
  const before = entryBody(entryValues(e, language), language);
  const out: Record<string, unknown> = {};
  for (const key of ['name', 'organisation_type', 'country', 'service_types', 'city', 'region', 'hours', 'accessibility', 'languages', 'phone', 'email', 'website', 'open_24_7'] as const) {
    if (JSON.stringify(next[key]) !== JSON.stringify(before[key])) out[key] = next[key];
  }
  const text = d.description.trim();
  if (text !== (e.descriptions[locale] ?? '')) {
    const descriptions = { ...e.descriptions };
    if (text) descriptions[locale] = text;
    else delete descriptions[locale];
    out.descriptions = descriptions;
  }
  return Object.keys(out).length ? (out as Schemas['EntryPatchIn']) : null;
}

/** A new entry (`entry` absent), or a change of `entry` read with its `etag`; `onSaved` learns
 * whether the change was applied or became a proposal awaiting verification. */
export function EntryForm({
  close,
  entry,
  onSaved,
}: {
  close: () => void;
  entry?: { data: Schemas['EntryOut']; etag: string };
  onSaved?: (outcome: 'changed' | 'proposed') => void;
}) {
  const { t, i18n } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(entrySchema, entry ? entryValues(entry.data, i18n.language) : NEW_ENTRY);
  const add = useWrite(
    (body: Schemas['EntryIn']) => unwrap(api.POST('/api/v1/directory/organisations', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['directory']],
  );
  const change = useWrite(
    ({ id, etag, body }: { id: string; etag: string; body: Schemas['EntryPatchIn'] }) =>
      unwrap(api.PATCH('/api/v1/directory/organisations/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body })),
    [['directory'], ['directory-entry'], ['directory-proposals']],
  );
  const save = async (d: EntryValues) => {
    if (!entry) {
      await add.mutateAsync(entryBody(d, i18n.language));
      return;
    }
    const body = entryPatch(entry.data, d, i18n.language);
    if (!body) return;
    const out = await change.mutateAsync({ id: entry.data.id, etag: entry.etag, body });
    onSaved?.('changes' in out ? 'proposed' : 'changed');
  };
  const text = (name: 'name' | 'country' | 'city' | 'region' | 'hours' | 'accessibility' | 'languages' | 'phone' | 'email' | 'website', title: string, extra: { required?: boolean; description?: string } = {}) => (
    <TextInput label={title} {...extra} value={form.values[name]} onChange={(e) => form.set(name, e.currentTarget.value)} error={form.error(name)} />
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await save(d);
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {text('name', t('directory.name'), { required: true })}
          <Select
            label={t('directory.organisation_type')}
            required
            data={enumOptions(PARTNER_ORGANISATION_TYPES, 'PartnerOrganisationType', label)}
            value={form.values.organisation_type ?? null}
            onChange={(v) => form.set('organisation_type', v as Schemas['PartnerOrganisationType'])}
            error={form.error('organisation_type')}
          />
          {text('country', t('directory.country'), { required: true, description: t('validation.country') })}
          <MultiSelect
            label={t('directory.services')}
            required
            data={enumOptions(DIRECTORY_SERVICE_TYPES, 'DirectoryServiceType', label)}
            value={form.values.service_types}
            onChange={(v) => form.set('service_types', v)}
            error={form.error('service_types')}
          />
          {text('city', t('directory.city'))}
          {text('region', t('directory_edit.region'))}
          {text('languages', t('directory.language'), { description: t('client.languages_hint') })}
          {text('phone', t('directory.phone'))}
          {text('email', t('directory.email'))}
          {text('website', t('directory.website'))}
          {text('hours', t('directory.hours'), { description: t('directory_edit.hours_hint') })}
          {text('accessibility', t('directory.accessibility'))}
        </SimpleGrid>
        <Textarea label={t('directory.description')} autosize minRows={2} maxLength={4000} value={form.values.description} onChange={(e) => form.set('description', e.currentTarget.value)} error={form.error('description')} />
        <Checkbox label={t('directory.open_24_7')} checked={form.values.open_24_7} onChange={(e) => form.set('open_24_7', e.currentTarget.checked)} />
        {!entry && <Checkbox label={t('directory.share')} description={t('directory.share_hint')} checked={form.values.share} onChange={(e) => form.set('share', e.currentTarget.checked)} />}
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}
