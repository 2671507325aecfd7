// The case team in the Overview summary: members with their names and team role, and, with
// `cases.work`, adding and removing a member. Names come from the colleagues list (id and name
// only), which every role with `cases.work` may read.
import { useState } from 'react';
import { Alert, Box, Button, Group, List, Select, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { useWrite } from '../../../api/mutate';
import { useColleagues } from '../../../api/queries';
import { problemDetail } from '../../../api/problem';
import { useAuth, useMe } from '../../../auth/AuthContext';
import { useEnumLabel } from '../../../components/EnumLabel';
import { enumOptions } from '../../../vocab';
import { candidateOptions, teamRows } from './team';

const TEAM_ROLES: Schemas['TeamRole'][] = ['lead', 'member'];

function AddMember({ caseId, team }: { caseId: string; team: Schemas['TeamMemberOut'][] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const colleagues = useColleagues(true);
  const [userId, setUserId] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>('member');
  const [error, setError] = useState<string | null>(null);
  const add = useWrite(
    (body: Schemas['TeamMemberIn']) => unwrap(api.POST('/api/v1/cases/{id}/team', { params: { path: { id: caseId } }, body })),
    [['case', caseId], ['team', caseId], ['timeline', caseId]],
  );
  const picked = userId;
  const submit = async () => {
    if (!picked || !role) return;
    setError(null);
    try {
      await add.mutateAsync({ user_id: picked, role: role as Schemas['TeamRole'] });
      setUserId(null);
    } catch (err) {
      setError(problemDetail(err, t('errors.network')));
    }
  };
  return (
    <Stack gap="xs" mt="xs">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('casework.team_user')}
          searchable
          nothingFoundMessage={t('common.no_results')}
          data={candidateOptions(colleagues.data?.items ?? [], team)}
          value={userId}
          onChange={setUserId}
        />
        <Select label={t('casework.team_role')} data={enumOptions(TEAM_ROLES, 'TeamRole', label)} value={role} onChange={setRole} allowDeselect={false} />
        <Button onClick={() => void submit()} disabled={!picked || !role} loading={add.isPending}>
          {t('casework.team_add')}
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

export function CaseTeam({ caseId, team, open }: { caseId: string; team: Schemas['TeamMemberOut'][]; open: boolean }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const me = useMe();
  const { can } = useAuth();
  const canWork = can('cases.work') && open;
  const colleagues = useColleagues(can('cases.work'));
  const [error, setError] = useState<string | null>(null);
  const remove = useWrite(
    (userId: string) => unwrap(api.DELETE('/api/v1/cases/{id}/team/{user_id}', { params: { path: { id: caseId, user_id: userId } } })),
    [['case', caseId], ['team', caseId], ['timeline', caseId]],
  );
  const rows = teamRows(team, colleagues.data?.items ?? null, me.id);
  const memberLabel = (r: (typeof rows)[number]) => [r.name, label('TeamRole', r.role)].filter(Boolean).join(' · ') + (r.me ? ` (${t('common.you')})` : '');
  return (
    <Box component="section" aria-labelledby="team-title" data-testid="case-team" mb="md">
      <Title order={3} size="h5" id="team-title" mb="xs">
        {t('cases.team')}
      </Title>
      <List size="sm" spacing={4}>
        {rows.map((r) => (
          <List.Item key={r.id}>
            <Group gap="xs" wrap="nowrap">
              <span>{memberLabel(r)}</span>
              {canWork && rows.length > 1 && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  aria-label={t('casework.team_remove_named', { member: memberLabel(r) })}
                  loading={remove.isPending && remove.variables === r.id}
                  onClick={() => {
                    setError(null);
                    remove.mutate(r.id, { onError: (err) => setError(problemDetail(err, t('errors.network'))) });
                  }}
                >
                  {t('casework.team_remove')}
                </Button>
              )}
            </Group>
          </List.Item>
        ))}
      </List>
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error}
        </Alert>
      )}
      {canWork && <AddMember caseId={caseId} team={team} />}
    </Box>
  );
}
