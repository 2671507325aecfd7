// Creating a shelter, and changing or closing one (read with its version first). The address
// is confidential: it is asked for here and shown only to roles that may read it.
import { Checkbox, MultiSelect, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useVersioned } from '../../api/versioned';
import { FormActions } from '../../components/FormActions';
import { useEnumLabel } from '../../components/EnumLabel';
import { QueryState } from '../../components/Page';
import { useZodForm } from '../../forms/useZodForm';
import { enumOptions, GENDERS } from '../../vocab';
import { NEW_SHELTER, newShelterSchema, shelterBody, shelterPatch, shelterSchema, shelterValues, type ShelterValues } from './shelterForm';

const SHELTER_KEYS = [['shelters'], ['bed-board'], ['occupancy']];

function ShelterFields({ form, editing }: { form: ReturnType<typeof useShelterForm>; editing: boolean }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const text = (name: 'name' | 'capacity' | 'min_age' | 'max_age' | 'phone' | 'email', title: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={title} {...extra} value={form.values[name]} onChange={(e) => form.set(name, e.currentTarget.value)} error={form.error(name)} />
  );
  return (
    <Stack mb="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {text('name', t('shelter_admin.name'), { required: true })}
        {text('capacity', t('shelter_admin.capacity'), { required: true, inputMode: 'numeric', description: t('shelter_admin.capacity_hint') })}
      </SimpleGrid>
      <Textarea
        label={t('shelter_admin.address')}
        description={t('shelter_admin.address_hint')}
        required={!editing}
        autosize
        minRows={2}
        maxLength={500}
        value={form.values.address}
        onChange={(e) => form.set('address', e.currentTarget.value)}
        error={form.error('address')}
      />
      <MultiSelect
        label={t('shelter_admin.admits_genders')}
        required
        data={enumOptions(GENDERS, 'Gender', label)}
        value={form.values.admits_genders}
        onChange={(v) => form.set('admits_genders', v)}
        error={form.error('admits_genders')}
      />
      <Checkbox label={t('shelter_admin.admits_minors')} checked={form.values.admits_minors} onChange={(e) => form.set('admits_minors', e.currentTarget.checked)} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {text('min_age', t('shelter_admin.min_age'), { inputMode: 'numeric' })}
        {text('max_age', t('shelter_admin.max_age'), { inputMode: 'numeric' })}
        {text('phone', t('shelter_admin.phone'), { description: t('shelter_admin.contact_hint') })}
        {text('email', t('shelter_admin.email'), { type: 'email' })}
      </SimpleGrid>
      {editing && (
        <Select
          label={t('shelter_admin.status')}
          description={t('shelter_admin.status_hint')}
          data={['active', 'closed'].map((s) => ({ value: s, label: t(`shelters.status_${s}`) }))}
          value={form.values.status}
          onChange={(v) => form.set('status', (v ?? 'active') as ShelterValues['status'])}
          allowDeselect={false}
        />
      )}
      <FormActions error={form.formError} submitting={form.submitting} onCancel={form.close} />
    </Stack>
  );
}

function useShelterForm(schema: typeof shelterSchema, initial: ShelterValues, close: () => void) {
  return { ...useZodForm(schema, initial), close };
}

export function NewShelter({ close }: { close: () => void }) {
  const form = useShelterForm(newShelterSchema, NEW_SHELTER, close);
  const add = useWrite(
    (body: Schemas['ShelterIn']) => unwrap(api.POST('/api/v1/shelters', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    SHELTER_KEYS,
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync(shelterBody(d));
        close();
      })}
    >
      <ShelterFields form={form} editing={false} />
    </form>
  );
}

function EditShelterForm({ shelter, etag, close }: { shelter: Schemas['ShelterOut']; etag: string; close: () => void }) {
  const form = useShelterForm(shelterSchema, shelterValues(shelter), close);
  const save = useWrite(
    (body: Schemas['ShelterPatchIn']) => unwrap(api.PATCH('/api/v1/shelters/{id}', { params: { path: { id: shelter.id }, header: { 'If-Match': etag } }, body })),
    SHELTER_KEYS,
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        const body = shelterPatch(shelter, d);
        if (body) await save.mutateAsync(body);
        close();
      })}
    >
      <ShelterFields form={form} editing />
    </form>
  );
}

export function EditShelter({ id, close }: { id: string; close: () => void }) {
  const shelter = useVersioned(['shelter', id], () => api.GET('/api/v1/shelters/{id}', { params: { path: { id } } }));
  return <QueryState query={shelter}>{({ data, etag }) => <EditShelterForm shelter={data} etag={etag} close={close} />}</QueryState>;
}
