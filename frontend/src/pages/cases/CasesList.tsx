// Clients and cases: the cases the user may see, filtered, and a search for a client by name
// (the name goes to the API in the request only: never into the app's own URL).
import { useState } from 'react';
import { Alert, Anchor, Button, Card, Checkbox, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Page, QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { enumOptions, EXPLOITATION_TYPES, STAGES } from '../../vocab';

type Filters = {
  stage: Schemas['Stage'] | null;
  mine: boolean;
  exploitation: Schemas['ExploitationType'] | null;
  nationality: string;
};

function ClientSearch() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const results = useQuery({
    queryKey: ['clients', 'search', query],
    enabled: query !== null,
    // The words travel in the body: a name never goes into a URL.
    queryFn: () => unwrap(api.POST('/api/v1/clients/search', { body: { name: query ?? '', limit: 20 } })),
  });
  const open = async (clientId: string) => {
    const cases = await unwrap(api.GET('/api/v1/cases', { params: { query: { client_id: clientId, limit: 1 } } }));
    const first = cases.items[0];
    if (first) void navigate(`/cases/${first.id}`);
  };
  return (
    <Card withBorder component="section" aria-labelledby="client-search">
      <Title order={2} size="h4" id="client-search" mb="sm">
        {t('cases.find_client')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) setQuery(name.trim());
        }}
      >
        <Group align="flex-end">
          <TextInput label={t('cases.client_name')} value={name} onChange={(e) => setName(e.currentTarget.value)} autoComplete="off" />
          <Button type="submit" variant="light">
            {t('common.search')}
          </Button>
        </Group>
      </form>
      {query !== null && (
        <QueryState query={results}>
          {(page) =>
            page.items.length === 0 ? (
              <Text mt="sm" c="dimmed">
                {t('common.no_results')}
              </Text>
            ) : (
              <Table mt="sm">
                <Table.Tbody>
                  {page.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component="button" type="button" onClick={() => void open(c.id)}>
                          {c.case_code}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{label('Gender', c.gender)}</Table.Td>
                      <Table.Td>{c.nationality ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
      )}
    </Card>
  );
}

export default function CasesList() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const [filters, setFilters] = useState<Filters>({ stage: null, mine: false, exploitation: null, nationality: '' });
  const nationality = filters.nationality.trim().toUpperCase();
  const cases = useQuery({
    queryKey: ['cases', filters.stage, filters.mine, filters.exploitation, nationality],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/cases', {
          params: {
            query: {
              limit: 100,
              ...(filters.stage ? { stage: filters.stage } : {}),
              ...(filters.mine ? { assigned_to_me: true } : {}),
              ...(filters.exploitation ? { exploitation_type: filters.exploitation } : {}),
              ...(/^[A-Z]{2}$/.test(nationality) ? { nationality } : {}),
            },
          },
        }),
      ),
  });
  return (
    <Page
      title={t('nav.cases')}
      actions={
        can('cases.work') && (
          <Button component={Link} to="/intake">
            {t('intake.start')}
          </Button>
        )
      }
    >
      <ClientSearch />
      <Card withBorder component="section" aria-labelledby="case-list">
        <Title order={2} size="h4" id="case-list" mb="sm">
          {t('cases.list')}
        </Title>
        <Group align="flex-end" mb="sm" wrap="wrap">
          <Select
            label={t('cases.stage')}
            placeholder={t('common.all')}
            clearable
            data={enumOptions(STAGES, 'Stage', label)}
            value={filters.stage}
            onChange={(v) => setFilters((f) => ({ ...f, stage: v as Schemas['Stage'] | null }))}
          />
          <Select
            label={t('cases.exploitation')}
            placeholder={t('common.all')}
            clearable
            data={enumOptions(EXPLOITATION_TYPES, 'ExploitationType', label)}
            value={filters.exploitation}
            onChange={(v) => setFilters((f) => ({ ...f, exploitation: v as Schemas['ExploitationType'] | null }))}
          />
          <TextInput
            label={t('cases.nationality')}
            description={t('cases.nationality_hint')}
            maxLength={2}
            w={140}
            value={filters.nationality}
            onChange={(e) => setFilters((f) => ({ ...f, nationality: e.currentTarget.value }))}
          />
          <Checkbox
            label={t('cases.assigned_to_me')}
            checked={filters.mine}
            onChange={(e) => setFilters((f) => ({ ...f, mine: e.currentTarget.checked }))}
          />
        </Group>
        <QueryState query={cases}>
          {(page) =>
            page.items.length === 0 ? (
              <Alert color="gray">{t('common.no_results')}</Alert>
            ) : (
              <Stack>
                <Table striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('cases.code')}</Table.Th>
                      <Table.Th>{t('cases.stage')}</Table.Th>
                      <Table.Th>{t('cases.opened')}</Table.Th>
                      <Table.Th>{t('cases.updated')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/cases/${c.id}`}>
                            {c.case_code}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{label('Stage', c.stage)}</Table.Td>
                        <Table.Td>{fmt.date(c.opened_at)}</Table.Td>
                        <Table.Td>{fmt.date(c.updated_at)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Stack>
            )
          }
        </QueryState>
      </Card>
    </Page>
  );
}
