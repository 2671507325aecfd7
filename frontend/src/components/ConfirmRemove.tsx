// Removing a record after a confirmation; the API's refusal (e.g. 409 while something still
// depends on it) is shown in the dialog, in the API's words.
import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import type { QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useWrite } from '../api/mutate';
import { problemDetail } from '../api/problem';

export function ConfirmRemove({
  label,
  ariaLabel,
  title,
  text,
  remove,
  invalidate,
  onRemoved,
  button,
}: {
  label: string;
  ariaLabel?: string;
  title: string;
  text: string;
  remove: () => Promise<unknown>;
  invalidate: QueryKey[];
  onRemoved?: () => void;
  button?: ButtonProps;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const write = useWrite(remove, invalidate);
  const close = () => {
    setOpened(false);
    setError(null);
  };
  const confirm = async () => {
    setError(null);
    try {
      await write.mutateAsync(undefined);
      setOpened(false);
      onRemoved?.();
    } catch (err) {
      setError(problemDetail(err, t('errors.network')));
    }
  };
  return (
    <>
      <Button size="compact-sm" variant="subtle" color="red" {...button} aria-label={ariaLabel} onClick={() => setOpened(true)}>
        {label}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={close} title={title}>
        <Stack>
          <Text>{text}</Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={write.isPending} onClick={() => void confirm()}>
              {t('shelter_admin.remove_yes')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
