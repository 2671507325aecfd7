import { useState } from 'react';
import { Alert, Card, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap } from '../../api/client';
import { isProblem } from '../../api/problem';
import { useMe } from '../../auth/AuthContext';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { Page } from '../../components/Page';
import { NewPasswordInput } from './NewPasswordInput';
import { policyErrors } from './password';

const schema = z.object({
  current_password: z.string().min(1, 'validation.required').max(1024, 'validation.too_long'),
  new_password: z.string().min(1, 'validation.required').max(1024, 'validation.too_long'),
});

export default function Account() {
  const { t } = useTranslation();
  const me = useMe();
  const form = useZodForm(schema, { current_password: '', new_password: '' });
  const [changed, setChanged] = useState(false);
  return (
    <Page title={t('account.title')}>
      <Card withBorder maw={560}>
        <Stack>
          <Text size="sm">{t('account.signed_in_as', { email: me.email })}</Text>
          <form
            noValidate
            aria-labelledby="password-title"
            onSubmit={form.onSubmit(async (d) => {
              setChanged(false);
              try {
                await unwrap(api.POST('/api/v1/me/password', { body: d }));
              } catch (err) {
                if (isProblem(err) && err.status === 401) {
                  form.setErrors({ current_password: 'account.current_wrong' });
                  return;
                }
                if (isProblem(err) && err.status === 422) {
                  form.setErrors(policyErrors(err.fieldErrors()));
                  return;
                }
                throw err;
              }
              form.setValues({ current_password: '', new_password: '' });
              setChanged(true);
            })}
          >
            <Stack>
              <Text id="password-title" fw={600}>
                {t('account.change_password')}
              </Text>
              <PasswordInput
                label={t('account.current_password')}
                required
                autoComplete="current-password"
                value={form.values.current_password}
                onChange={(e) => form.set('current_password', e.currentTarget.value)}
                error={form.error('current_password')}
                visibilityToggleButtonProps={{ 'aria-label': t('common.show_password') }}
              />
              <NewPasswordInput value={form.values.new_password} onChange={(v) => form.set('new_password', v)} error={form.error('new_password')} />
              {changed && (
                <Alert color="teal" role="status">
                  {t('account.changed')} {t('account.other_sessions_signed_out')}
                </Alert>
              )}
              <FormActions error={form.formError} submitting={form.submitting} />
            </Stack>
          </form>
        </Stack>
      </Card>
    </Page>
  );
}
