// The staff assigned to a shelter (who sees its residents' operational data), and, with
// `shelters.manage`, assigning a colleague and ending an assignment.
import { useState } from 'react';
import { Alert, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { useColleagues } from '../../api/queries';
import { problemDetail } from '../../api/problem';
import { useAuth } from '../../auth/AuthContext';
import { useFormat } from '../../i18n/format';
import { candidateOptions } from '../cases/tabs/team';

export function ShelterStaff({ shelterId }: { shelterId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const manage = can('shelters.manage');
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const staff = useQuery({
    queryKey: ['shelter-staff', shelterId],
    queryFn: () => unwrap(api.GET('/api/v1/shelters/{id}/staff', { params: { path: { id: shelterId } } })),
  });
  const colleagues = useColleagues(manage && can('cases.work'));
  const assign = useWrite(
    (user_id: string) => unwrap(api.POST('/api/v1/shelters/{id}/staff', { params: { path: { id: shelterId } }, body: { user_id } })),
    [['shelter-staff', shelterId]],
  );
  const end = useWrite(
    (user_id: string) => unwrap(api.DELETE('/api/v1/shelters/{id}/staff/{user_id}', { params: { path: { id: shelterId, user_id } } })),
    [['shelter-staff', shelterId]],
  );
  const members = staff.data?.items ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="shelter-staff-title">
      <Title order={3} size="h5" id="shelter-staff-title" mb="xs">
        {t('shelter_staff.title')}
      </Title>
      <Stack gap="xs">
        <Text size="sm">{t('shelter_staff.hint')}</Text>
        {members.length === 0 ? (
          <Text c="dimmed">{t('shelter_staff.none')}</Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('shelter_staff.name')}</Table.Th>
                <Table.Th>{t('shelter_staff.since')}</Table.Th>
                {manage && <Table.Th>{t('shelter_staff.action')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>{fmt.date(m.assigned_at)}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        aria-label={t('shelter_staff.end_named', { name: m.name })}
                        loading={end.isPending && end.variables === m.id}
                        onClick={() => {
                          setError(null);
                          end.mutate(m.id, { onError: (err) => setError(problemDetail(err, t('errors.network'))) });
                        }}
                      >
                        {t('shelter_staff.end')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {manage && colleagues.data && (
          <Group align="flex-end">
            <Select
              label={t('shelter_staff.colleague')}
              searchable
              nothingFoundMessage={t('common.no_results')}
              data={candidateOptions(colleagues.data.items, members)}
              value={picked}
              onChange={setPicked}
            />
            <Button
              disabled={!picked}
              loading={assign.isPending}
              onClick={() => {
                if (!picked) return;
                setError(null);
                assign.mutate(picked, { onSuccess: () => setPicked(null), onError: (err) => setError(problemDetail(err, t('errors.network'))) });
              }}
            >
              {t('shelter_staff.assign')}
            </Button>
          </Group>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
