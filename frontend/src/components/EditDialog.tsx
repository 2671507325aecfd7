// Changing one record: a dialog that reads the record with its ETag (fresh, never from the
// cache) and hands both to the form, which sends the ETag back as If-Match.
import { useState, type ReactNode } from 'react';
import { Button, Modal } from '@mantine/core';
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { QueryState } from './Page';

export function Versioned<T>({
  queryKey,
  read,
  children,
}: {
  queryKey: QueryKey;
  read: () => Promise<{ data: T; etag: string }>;
  children: (data: T, etag: string) => ReactNode;
}) {
  const record = useQuery({ queryKey: [...queryKey, 'versioned'], queryFn: read, staleTime: 0, gcTime: 0 });
  return <QueryState query={record}>{({ data, etag }) => children(data, etag)}</QueryState>;
}

/** A dialog with a labelled close button, open while `opened`. */
export function EditDialog({ title, opened, onClose, size, children }: { title: string; opened: boolean; onClose: () => void; size?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={onClose} title={title} size={size}>
      {opened && children}
    </Modal>
  );
}

/** A row's "Change" button opening a dialog with the record read fresh with its ETag. */
export function ChangeRecord<T>({
  label,
  ariaLabel,
  title,
  size,
  queryKey,
  read,
  children,
}: {
  label: string;
  ariaLabel: string;
  title: string;
  size?: string;
  queryKey: QueryKey;
  read: () => Promise<{ data: T; etag: string }>;
  children: (data: T, etag: string, close: () => void) => ReactNode;
}) {
  const [opened, setOpened] = useState(false);
  const close = () => setOpened(false);
  return (
    <>
      <Button size="compact-xs" variant="default" aria-label={ariaLabel} onClick={() => setOpened(true)}>
        {label}
      </Button>
      <EditDialog title={title} opened={opened} onClose={close} size={size}>
        <Versioned queryKey={queryKey} read={read}>
          {(data, etag) => children(data, etag, close)}
        </Versioned>
      </EditDialog>
    </>
  );
}
