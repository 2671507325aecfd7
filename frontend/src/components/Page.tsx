// A screen's frame: its heading, the document title (never personal data) and states.
import { useEffect, type ReactNode } from 'react';
import { Alert, Group, Loader, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Haven`;
  }, [title]);
}

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <Group justify="center" p="lg" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden />
      <span>{t('common.loading')}</span>
    </Group>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const status = (error as { status?: number } | null)?.status;
  const text = status === 403 ? t('errors.forbidden') : status === 404 ? t('errors.not_found') : t('errors.generic');
  return (
    <Alert color="red" role="alert" title={t('errors.title')}>
      {text}
    </Alert>
  );
}

/** Loading, error or the content of a query. */
export function QueryState<T>({
  query,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error || query.data === undefined) return <ErrorNote error={query.error} />;
  return <>{children(query.data)}</>;
}
