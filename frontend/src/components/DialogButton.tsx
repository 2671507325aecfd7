// A button that opens a dialog holding a form; the form gets `close` to end it.
import { useState, type ReactNode } from 'react';
import { Button, Modal, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function DialogButton({
  label,
  ariaLabel,
  title,
  size,
  button,
  children,
}: {
  label: string;
  /** The button's accessible name when `label` alone is ambiguous (e.g. "Change" in a list). */
  ariaLabel?: string;
  title: string;
  size?: string;
  button?: ButtonProps;
  children: (close: () => void) => ReactNode;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const close = () => setOpened(false);
  return (
    <>
      <Button size="compact-sm" variant="light" {...button} aria-label={ariaLabel} onClick={() => setOpened(true)}>
        {label}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={close} title={title} size={size}>
        {opened && children(close)}
      </Modal>
    </>
  );
}
