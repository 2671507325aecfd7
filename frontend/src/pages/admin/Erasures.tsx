// Erasure requests awaiting approval, when the organisation asks for two people: when and why
// they were asked, and the approval by an administrator other than the one who asked.
import { useState } from 'react';
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { problemDetail } from '../../api/problem';
import { useMe } from '../../auth/AuthContext';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useFormat } from '../../i18n/format';

/** Whether `me` may approve `erasure`: pending, and asked by someone else. */
export function mayApprove(erasure: Schemas['ErasureOut'], me: string): boolean {
  return erasure.status === 'pending' && erasure.requested_by !== me;
}

function Approve({ erasure }: { erasure: Schemas['ErasureOut'] }) {
  const { t } = useTranslation();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const approve = useWrite(
    (id: string) => unwrap(api.POST('/api/v1/erasures/{id}/approve', { params: { path: { id } } })),
    [['erasures'], ['client', erasure.client_id]],
  );
  if (erasure.status !== 'pending') return <Text size="sm">—</Text>;
  if (!mayApprove(erasure, me.id)) return <Text size="sm">{t('erasure.own_request')}</Text>;
  return (
    <Stack gap={4}>
      <Button
        size="xs"
        color="red"
        loading={approve.isPending}
        onClick={() => {
          setError(null);
          approve.mutateAsync(erasure.id).catch((err: unknown) => setError(problemDetail(err, t('errors.network'))));
        }}
      >
        {t('erasure.approve')}
      </Button>
      {error && (
        <Alert color="red" role="alert" p="xs">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

export default function Erasures() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const erasures = useQuery({
    queryKey: ['erasures'],
    queryFn: () => unwrap(api.GET('/api/v1/erasures', { params: { query: { limit: 100 } } })),
  });
  return (
    <Page title={t('nav.erasures')}>
      <Text size="sm">{t('erasure.list_hint')}</Text>
      <ListCard
        id="erasures-title"
        title={t('erasure.requests')}
        query={erasures}
        columns={[
          { header: t('erasure.requested_at'), cell: (e) => fmt.dateTime(e.requested_at) },
          { header: t('erasure.reason'), cell: (e) => e.reason ?? '—' },
          { header: t('erasure.requested_by'), cell: (e) => (e.requested_by ? t('erasure.by_administrator') : t('erasure.by_retention')) },
          { header: t('erasure.decision'), cell: (e) => <Approve erasure={e} /> },
        ]}
      />
    </Page>
  );
}
