import { useState } from 'react';
import { Alert, Button, Fieldset, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ListCard } from '../../components/ListCard';
import { Versioned } from '../../components/EditDialog';
import { Page } from '../../components/Page';
import { suspends, tenantPatch } from './tenants';
import { useFormat } from '../../i18n/format';

const schema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'validation.slug'),
  country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'validation.country'),
  default_locale: z.string().trim().min(2, 'validation.required').max(35, 'validation.too_long'),
  time_zone: z.string().trim().min(1, 'validation.required').max(64, 'validation.too_long'),
  'admin.email': z.string().trim().email('validation.email'),
  'admin.name': z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  'admin.password': z.string().min(12, 'validation.password_short').max(1024, 'validation.too_long'),
});

function OnboardForm({ close }: { close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(schema, {
    name: '', slug: '', country: '', default_locale: '', time_zone: '',
    'admin.email': '', 'admin.name': '', 'admin.password': '',
  });
  const onboard = useWrite(
    (body: Schemas['TenantIn']) => unwrap(api.POST('/api/v1/tenants', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['tenants']],
  );
  const input = (name: keyof z.input<typeof schema> & string, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} required value={form.values[name]} onChange={(e) => form.set(name, e.currentTarget.value)} error={form.error(name)} autoComplete="off" {...extra} />
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await onboard.mutateAsync({
          name: d.name, slug: d.slug, country: d.country.toUpperCase(), default_locale: d.default_locale, time_zone: d.time_zone,
          admin: { email: d['admin.email'], name: d['admin.name'], password: d['admin.password'] },
        });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {input('name', t('tenants.name'))}
          {input('slug', t('tenants.slug'))}
          {input('country', t('tenants.country'), { maxLength: 2 })}
          {input('default_locale', t('tenants.locale'), { placeholder: 'fr-BE' })}
          {input('time_zone', t('tenants.time_zone'), { placeholder: 'Europe/Brussels' })}
        </SimpleGrid>
        <Fieldset legend={t('tenants.first_admin')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {input('admin.email', t('users.email'), { type: 'email' })}
            {input('admin.name', t('users.name'))}
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('common.show_password') }} label={t('auth.password')} required value={form.values['admin.password']} onChange={(e) => form.set('admin.password', e.currentTarget.value)} error={form.error('admin.password')} autoComplete="new-password" />
          </SimpleGrid>
        </Fieldset>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

const editSchema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  default_locale: z.string().trim().min(2, 'validation.required').max(35, 'validation.too_long'),
  time_zone: z.string().trim().min(1, 'validation.required').max(64, 'validation.too_long'),
  status: z.string(),
});

/** Renames, relocates, suspends or reactivates an organisation; a suspension is confirmed first. */
function EditTenant({ tenant, etag, close }: { tenant: Schemas['TenantOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(editSchema, { name: tenant.name, default_locale: tenant.default_locale, time_zone: tenant.time_zone, status: tenant.status });
  const [confirming, setConfirming] = useState(false);
  const save = useWrite(
    (body: Schemas['TenantPatchIn']) => unwrap(api.PATCH('/api/v1/tenants/{id}', { params: { path: { id: tenant.id }, header: { 'If-Match': etag } }, body })),
    [['tenants']],
  );
  const input = (name: 'name' | 'default_locale' | 'time_zone', label: string) => (
    <TextInput label={label} required value={form.values[name]} onChange={(e) => form.set(name, e.currentTarget.value)} error={form.error(name)} autoComplete="off" />
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        if (suspends(tenant, d) && !confirming) {
          setConfirming(true);
          return;
        }
        const body = tenantPatch(tenant, d);
        if (body) await save.mutateAsync(body);
        close();
      })}
    >
      <Stack>
        {input('name', t('tenants.name'))}
        {input('default_locale', t('tenants.locale'))}
        {input('time_zone', t('tenants.time_zone'))}
        <Select
          label={t('users.status')}
          data={['active', 'suspended'].map((s) => ({ value: s, label: t(`tenants.status_${s}`) }))}
          value={form.values.status}
          onChange={(v) => {
            form.set('status', v ?? tenant.status);
            setConfirming(false);
          }}
          allowDeselect={false}
        />
        {confirming && (
          <Alert color="red" role="alert" title={t('account.suspend_confirm_title')}>
            <Text size="sm">{t('account.suspend_confirm')}</Text>
          </Alert>
        )}
        {confirming ? (
          <Group>
            <Button type="submit" color="red" loading={form.submitting}>
              {t('account.suspend_yes')}
            </Button>
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
          </Group>
        ) : (
          <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
        )}
        {confirming && form.formError && (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

export default function Tenants() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => unwrap(api.GET('/api/v1/tenants', { params: { query: { limit: 200 } } })) });
  const [editing, setEditing] = useState<Schemas['TenantOut'] | null>(null);
  return (
    <Page title={t('nav.tenants')}>
      <ListCard
        id="tenants-title"
        title={t('tenants.title')}
        query={tenants}
        addLabel={t('tenants.onboard')}
        renderForm={(close) => <OnboardForm close={close} />}
        columns={[
          { header: t('tenants.name'), cell: (x) => x.name },
          { header: t('tenants.slug'), cell: (x) => x.slug },
          { header: t('tenants.country'), cell: (x) => x.country },
          { header: t('users.status'), cell: (x) => t(`tenants.status_${x.status}`, { defaultValue: x.status }) },
          { header: t('tenants.created'), cell: (x) => fmt.date(x.created_at) },
          {
            header: t('account.actions'),
            cell: (x) => (
              <Button size="compact-sm" variant="light" onClick={() => setEditing(x)} aria-label={t('account.change_user', { name: x.name })}>
                {t('account.change')}
              </Button>
            ),
          },
        ]}
      />
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing !== null} onClose={() => setEditing(null)} title={t('account.change_tenant_title')}>
        {editing && (
          // Read afresh with its version: an operator's change since the list was read is refused (412).
          <Versioned queryKey={['tenant', editing.id]} read={() => unwrapVersioned(api.GET('/api/v1/tenants/{id}', { params: { path: { id: editing.id } } }))}>
            {(tenant, etag) => <EditTenant tenant={tenant} etag={etag} close={() => setEditing(null)} />}
          </Versioned>
        )}
      </Modal>
    </Page>
  );
}
