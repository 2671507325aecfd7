import { Fieldset, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
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

export default function Tenants() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => unwrap(api.GET('/api/v1/tenants', { params: { query: { limit: 200 } } })) });
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
        ]}
      />
    </Page>
  );
}
