// An invited person's first step: the one-time token their administrator gave them and the
// password they choose. The token is typed or pasted, never carried in the address.
import { Alert, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap } from '../api/client';
import { isProblem } from '../api/problem';
import { useZodForm } from '../forms/useZodForm';
import { NewPasswordInput } from './account/NewPasswordInput';
import { policyErrors } from './account/password';

export const setPasswordSchema = z.object({
  token: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  new_password: z.string().min(1, 'validation.required').max(1024, 'validation.too_long'),
});

export function SetPassword({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(setPasswordSchema, { token: '', new_password: '' });
  const submit = form.onSubmit(async (d) => {
    try {
      await unwrap(api.POST('/api/v1/auth/set-password', { body: { token: d.token, password: d.new_password } }));
    } catch (err) {
      if (isProblem(err) && err.status === 401) {
        form.setErrors({ token: 'auth.invitation_invalid' });
        return;
      }
      if (isProblem(err) && err.status === 422) {
        form.setErrors(policyErrors(err.fieldErrors()));
        return;
      }
      if (isProblem(err) && err.status === 429) {
        form.setFormError(t('auth.too_many'));
        return;
      }
      throw err;
    }
    onDone();
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="invitation-title">
      <Stack>
        <Title order={1} size="h2" id="invitation-title">
          {t('auth.invitation_title')}
        </Title>
        <Text size="sm">{t('auth.invitation_intro')}</Text>
        <TextInput
          label={t('auth.invitation_token')}
          required
          autoComplete="one-time-code"
          spellCheck={false}
          value={form.values.token}
          onChange={(e) => form.set('token', e.currentTarget.value)}
          error={form.error('token')}
        />
        <NewPasswordInput value={form.values.new_password} onChange={(v) => form.set('new_password', v)} error={form.error('new_password')} />
        {form.formError && (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        )}
        <Button type="submit" loading={form.submitting}>
          {t('auth.invitation_submit')}
        </Button>
        <Button variant="subtle" onClick={onCancel}>
          {t('auth.back_to_sign_in')}
        </Button>
      </Stack>
    </form>
  );
}
