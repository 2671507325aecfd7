// The field where someone chooses a password, with the policy's hint: the same on the account
// page and when an invitation is taken up.
import { PasswordInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function NewPasswordInput({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: string | undefined }) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      label={t('account.new_password')}
      description={t('account.policy_hint')}
      required
      autoComplete="new-password"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      visibilityToggleButtonProps={{ 'aria-label': t('common.show_password') }}
    />
  );
}
