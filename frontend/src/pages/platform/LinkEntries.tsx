// Linking a shared directory entry to the Haven organisation it is, so referrals to it land in
// that organisation's inbox — after the platform administrator checked it is who it says.
import { useState } from 'react';
import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { problemDetail } from '../../api/problem';
import { ListCard } from '../../components/ListCard';

function LinkControl({ entry, tenants }: { entry: Schemas['EntryOut']; tenants: Schemas['TenantOut'][] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [picked, setPicked] = useState<string | null>(entry.linked_tenant_id ?? null);
  const [error, setError] = useState<string | null>(null);
  const link = useWrite(
    (tenant_id: string | null) => unwrap(api.PUT('/api/v1/directory/organisations/{id}/link', { params: { path: { id: entry.id } }, body: { tenant_id } })),
    [['directory']],
  );
  const send = (tenantId: string | null) => {
    setError(null);
    link.mutate(tenantId, {
      onSuccess: (out) => {
        client.setQueryData(['directory-entry', entry.id], out);
        setPicked(out.linked_tenant_id ?? null);
      },
      onError: (err) => setError(problemDetail(err, t('errors.network'))),
    });
  };
  return (
    <Stack gap={4}>
      <Group align="flex-end" wrap="nowrap" gap="xs">
        <Select
          aria-label={t('directory_edit.link_to_named', { name: entry.name })}
          placeholder={t('directory_edit.link_to')}
          searchable
          nothingFoundMessage={t('common.no_results')}
          data={tenants.map((x) => ({ value: x.id, label: `${x.name} (${x.slug})` }))}
          value={picked}
          onChange={setPicked}
        />
        <Button size="xs" disabled={!picked || picked === entry.linked_tenant_id} loading={link.isPending && link.variables !== null} onClick={() => send(picked)}>
          {t('directory_edit.link')}
        </Button>
        {entry.linked_tenant_id && (
          <Button size="xs" variant="default" loading={link.isPending && link.variables === null} onClick={() => send(null)} aria-label={t('directory_edit.unlink_named', { name: entry.name })}>
            {t('directory_edit.unlink')}
          </Button>
        )}
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

/** Until words are typed nothing is listed (there are many shared entries). */
const NOT_SEARCHING = { isPending: false, error: null, data: { items: [] as Schemas['EntryOut'][] } };

export function LinkEntries() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const words = q.trim();
  const searching = words.length >= 2;
  const entries = useQuery({
    queryKey: ['directory', 'link', words],
    queryFn: () => unwrap(api.GET('/api/v1/directory/organisations', { params: { query: { limit: 50, q: words, verified: true } } })),
    select: (page): Schemas['EntryPage'] => ({ ...page, items: page.items.filter((e) => e.visibility === 'shared') }),
    enabled: searching,
  });
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => unwrap(api.GET('/api/v1/tenants', { params: { query: { limit: 200 } } })) });
  const all = tenants.data?.items ?? [];
  const nameOf = (id: string | null | undefined) => (id ? (all.find((x) => x.id === id)?.name ?? id) : '—');
  return (
    <ListCard
      id="link-title"
      title={t('directory_edit.link_title')}
      query={searching ? entries : NOT_SEARCHING}
      intro={
        <Stack gap="sm" mb="sm">
          <Text size="sm">{t('directory_edit.link_hint')}</Text>
          <TextInput label={t('directory_edit.link_search')} description={t('directory.search_hint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} maxLength={200} />
        </Stack>
      }
      columns={[
        { header: t('directory.name'), cell: (e) => e.name },
        { header: t('directory.place'), cell: (e) => [e.city, e.country].filter(Boolean).join(', ') },
        { header: t('directory_edit.linked_to'), cell: (e) => nameOf(e.linked_tenant_id) },
        { header: t('directory_edit.link_action'), cell: (e) => <LinkControl entry={e} tenants={all} /> },
      ]}
    />
  );
}
