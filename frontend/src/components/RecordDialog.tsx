// A button that opens one record in a dialog (to read it in full or change it). The dialog's
// content mounts only while it is open, so each opening reads the record afresh.
import { useState, type ReactNode } from 'react';
import { Button, Modal } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function RecordDialog({
  label,
  name,
  title,
  variant = 'default',
  children,
}: {
  /** The button's text. */
  label: string;
  /** The button's accessible name, naming the record (a row of a table has several). */
  name?: string;
  title: string;
  variant?: 'default' | 'light';
  children: (close: () => void) => ReactNode;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const close = () => setOpened(false);
  return (
    <>
      <Button size={variant === 'light' ? 'xs' : 'compact-xs'} variant={variant} aria-label={name} onClick={() => setOpened(true)}>
        {label}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={close} title={title} size="lg">
        {opened && children(close)}
      </Modal>
    </>
  );
}
