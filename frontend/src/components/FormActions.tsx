import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Save / cancel and the form-level message of an add form. */
export function FormActions({ error, submitting, onCancel }: { error: string | null; submitting: boolean; onCancel?: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button type="submit" loading={submitting}>
          {t('common.save')}
        </Button>
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
      </Group>
    </>
  );
}
