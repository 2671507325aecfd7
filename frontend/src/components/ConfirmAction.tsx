// A red action behind a confirmation: the button opens a dialog saying what will happen; the
// API's refusal is shown there and the dialog stays open.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { problemDetail } from '../api/problem';
import { EditDialog } from './EditDialog';

export function ConfirmAction({
  label,
  ariaLabel,
  title,
  confirmLabel,
  cancelLabel,
  action,
  children,
}: {
  label: string;
  ariaLabel: string;
  title: string;
  confirmLabel: string;
  cancelLabel?: string;
  action: () => Promise<unknown>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setError(null);
    setPending(true);
    try {
      await action();
      setOpened(false);
    } catch (err) {
      setError(problemDetail(err, t('errors.network')));
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Button size="compact-xs" variant="default" color="red" aria-label={ariaLabel} onClick={() => setOpened(true)}>
        {label}
      </Button>
      <EditDialog title={title} opened={opened} onClose={() => setOpened(false)}>
        <Stack>
          {children}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {cancelLabel ?? t('common.cancel')}
            </Button>
            <Button color="red" loading={pending} onClick={() => void confirm()}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </EditDialog>
    </>
  );
}
