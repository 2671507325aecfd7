import { useState } from 'react';
import { Alert, Button, Center, Group, Paper, PasswordInput, Select, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useAuth } from '../auth/AuthContext';
import { isProblem } from '../api/problem';
import { signInError } from '../auth/signInError';
import { useZodForm } from '../forms/useZodForm';
import { usePageTitle } from '../components/Page';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { SetPassword } from './SetPassword';

export const loginSchema = z.object({
  email: z.string().trim().min(1, 'validation.required').max(254, 'validation.too_long').email('validation.email'),
  password: z.string().min(1, 'validation.required').max(1024, 'validation.too_long'),
  tenant: z.string().optional(),
});

export function LoginPage({ reason }: { reason?: 'expired' | 'signed_out' | undefined }) {
  const { t } = useTranslation();
  const { login } = useAuth();
  usePageTitle(t('auth.sign_in'));
  const [tenants, setTenants] = useState<string[] | null>(null);
  const [invitation, setInvitation] = useState<'open' | 'done' | null>(null);
  const form = useZodForm(loginSchema, { email: '', password: '', tenant: undefined });

  const submit = form.onSubmit(async (data) => {
    try {
      await login(data.email, data.password, data.tenant);
    } catch (err) {
      if (isProblem(err, 'tenant_required')) {
        setTenants(err.body?.tenants ?? []);
        form.setFormError(t('auth.choose_tenant_hint'));
        return;
      }
      const message = signInError(err, t);
      if (!message) throw err;
      form.setFormError(message);
    }
  });

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        {invitation === 'open' ? (
          <SetPassword onDone={() => setInvitation('done')} onCancel={() => setInvitation(null)} />
        ) : (
        <form onSubmit={submit} noValidate aria-labelledby="login-title">
          <Stack>
            <Group justify="space-between">
              <Title order={1} size="h2" id="login-title">
                {t('auth.sign_in_title')}
              </Title>
              <LanguageSwitcher />
            </Group>
            {reason === 'expired' && (
              <Alert color="yellow" role="status">
                {t('auth.expired')}
              </Alert>
            )}
            {invitation === 'done' && (
              <Alert color="teal" role="status">
                {t('auth.invitation_done')}
              </Alert>
            )}
            {reason === 'signed_out' && (
              <Alert color="blue" role="status">
                {t('auth.signed_out')}
              </Alert>
            )}
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="username"
              required
              value={form.values.email}
              onChange={(e) => form.set('email', e.currentTarget.value)}
              error={form.error('email')}
            />
            <PasswordInput
              visibilityToggleButtonProps={{ 'aria-label': t('common.show_password') }}
              label={t('auth.password')}
              autoComplete="current-password"
              required
              value={form.values.password}
              onChange={(e) => form.set('password', e.currentTarget.value)}
              error={form.error('password')}
            />
            {tenants && (
              <Select
                label={t('auth.organisation')}
                data={tenants}
                value={form.values.tenant ?? null}
                onChange={(v) => form.set('tenant', v ?? undefined)}
                error={form.error('tenant')}
                allowDeselect={false}
              />
            )}
            {form.formError && (
              <Alert color={tenants && !form.values.tenant ? 'blue' : 'red'} role="alert">
                {form.formError}
              </Alert>
            )}
            <Button type="submit" loading={form.submitting}>
              {t('auth.sign_in')}
            </Button>
            <Button variant="subtle" onClick={() => setInvitation('open')}>
              {t('auth.have_invitation')}
            </Button>
          </Stack>
        </form>
        )}
      </Paper>
    </Center>
  );
}
