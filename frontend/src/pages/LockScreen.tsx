import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useAuth } from '../auth/AuthContext';
import { signInError } from '../auth/signInError';
import { useZodForm } from '../forms/useZodForm';
import { usePageTitle } from '../components/Page';

const schema = z.object({ password: z.string().min(1, 'validation.required').max(1024, 'validation.too_long') });

/** The screen after the inactivity period: the session is over; the same person signs back in. */
export function LockScreen({ who }: { who: { email: string; name: string; tenant: string | null } }) {
  const { t } = useTranslation();
  const { login, logout } = useAuth();
  usePageTitle(t('auth.locked_title'));
  const form = useZodForm(schema, { password: '' });
  const submit = form.onSubmit(async ({ password }) => {
    try {
      await login(who.email, password, who.tenant ?? undefined);
    } catch (err) {
      const message = signInError(err, t);
      if (!message) throw err;
      form.setFormError(message);
    }
  });
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form onSubmit={submit} noValidate aria-labelledby="lock-title">
          <Stack>
            <Title order={1} size="h2" id="lock-title">
              {t('auth.locked_title')}
            </Title>
            <Text>{t('auth.locked_body', { name: who.name })}</Text>
            <PasswordInput
              visibilityToggleButtonProps={{ 'aria-label': t('common.show_password') }}
              label={t('auth.password')}
              autoComplete="current-password"
              required
              value={form.values.password}
              onChange={(e) => form.set('password', e.currentTarget.value)}
              error={form.error('password')}
            />
            {form.formError && (
              <Alert color="red" role="alert">
                {form.formError}
              </Alert>
            )}
            <Button type="submit" loading={form.submitting}>
              {t('auth.unlock')}
            </Button>
            <Anchor component="button" type="button" onClick={() => void logout()}>
              {t('auth.other_user')}
            </Anchor>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
