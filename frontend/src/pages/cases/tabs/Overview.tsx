import { useState } from 'react';
import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useShelters } from '../../../api/queries';
import { api, unwrap, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { isProblem, problemDetail } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthContext';
import { QueryState } from '../../../components/Page';
import { ListCard } from '../../../components/ListCard';
import { useEnumLabel } from '../../../components/EnumLabel';
import { PlacementPicker } from '../../../components/PlacementPicker';
import { ConfirmAction } from '../../../components/ConfirmAction';
import { useFormat } from '../../../i18n/format';
import { CLOSURE_REASONS, enumOptions, STAGES } from '../../../vocab';
import { useCase } from '../CaseView';
import { RecordDialog } from '../../../components/RecordDialog';
import { CaseTeam } from './CaseTeam';
import { ClientEdit } from './ClientEdit';
import { DataProtection } from './DataProtection';
import { NewCase } from './NewCase';

export interface TabProps {
  caseId: string;
  clientId: string;
}

/** A term and its value, inside a `dl`. */
export function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0} style={{ whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </div>
  );
}

function ClientCard({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const label = useEnumLabel();
  const fmt = useFormat();
  const client = useQuery({
    queryKey: ['client', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id: clientId } } })),
  });
  return (
    <Card withBorder component="section" aria-labelledby="client-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="client-title">
          {t('client.title')}
        </Title>
        {/* The change replaces the whole record: only those who read the identity may make it. */}
        {can('clients.identity_read') && client.data?.identity_shown && !client.data.erased_at && (
          <RecordDialog label={t('case_records.client_edit')} title={t('case_records.client_edit')} variant="light">
            {(close) => <ClientEdit clientId={clientId} close={close} />}
          </RecordDialog>
        )}
      </Group>
      <QueryState query={client}>
        {(c) => {
          const d = c.details;
          const id = d.identity;
          return (
            <Stack>
              <SimpleGrid cols={2} component="dl" m={0}>
                <Field label={t('client.gender')}>{label('Gender', d.gender)}</Field>
                <Field label={t('client.age_band')}>{label('AgeBand', d.age_band ?? null)}</Field>
                <Field label={t('client.nationality')}>{d.nationality ?? '—'}</Field>
                <Field label={t('client.languages')}>{(d.languages ?? []).join(', ') || '—'}</Field>
                <Field label={t('client.trafficking_status')}>{label('TraffickingStatus', d.trafficking_status)}</Field>
                <Field label={t('client.exploitation')}>
                  {(d.exploitation_types ?? []).map((e) => label('ExploitationType', e)).join(', ') || '—'}
                </Field>
              </SimpleGrid>
              {c.identity_shown && id && (
                <section aria-labelledby="identity-title" data-testid="identity">
                  <Title order={3} size="h5" id="identity-title" mb="xs">
                    {t('client.identity')}
                  </Title>
                  <SimpleGrid cols={2} component="dl" m={0}>
                    <Field label={t('client.given_name')}>{id.legal_given_name ?? '—'}</Field>
                    <Field label={t('client.family_name')}>{id.legal_family_name ?? '—'}</Field>
                    <Field label={t('client.used_name')}>{id.used_name ?? '—'}</Field>
                    <Field label={t('client.date_of_birth')}>{id.date_of_birth ? fmt.date(id.date_of_birth) : '—'}</Field>
                    <Field label={t('client.phone')}>{id.phone ?? '—'}</Field>
                  </SimpleGrid>
                </section>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Card>
  );
}

function StageChange({ caseId, stage }: { caseId: string; stage: Schemas['Stage'] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [to, setTo] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [closure, setClosure] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const move = useWrite(
    (body: Schemas['TransitionIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/transitions', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['case', caseId], ['cases'], ['timeline', caseId], ['transitions', caseId]],
  );
  const submit = async () => {
    if (!to) return;
    setError(null);
    try {
      await move.mutateAsync({
        to: to as Schemas['Stage'],
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        // Closing needs a reason from the closure list; any other move refuses one.
        ...(to === 'closed' && closure ? { closure_reason: closure as Schemas['ClosureReason'] } : {}),
      });
      setTo(null);
      setReason('');
      setClosure(null);
    } catch (err) {
      if (isProblem(err, 'illegal_transition')) {
        const allowed = (err.body?.allowed ?? []).map((s) => label('Stage', s)).join(', ');
        setError(t('cases.transition_not_allowed', { allowed: allowed || '—' }));
      } else setError(problemDetail(err, t('errors.network')));
    }
  };
  return (
    <Stack gap="xs">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('cases.move_to')}
          data={enumOptions(STAGES.filter((s) => s !== stage), 'Stage', label)}
          value={to}
          onChange={setTo}
        />
        {to === 'closed' && (
          <Select
            label={t('case_records.closure_reason')}
            required
            data={CLOSURE_REASONS.map((r) => ({ value: r, label: t(`case_records.closure.${r}`) }))}
            value={closure}
            onChange={setClosure}
          />
        )}
        <TextInput label={t('cases.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} />
        <Button onClick={() => void submit()} disabled={!to || (to === 'closed' && !closure)} loading={move.isPending}>
          {t('cases.change_stage')}
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

function Placements({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const [adding, setAdding] = useState(false);
  const placements = useQuery({
    queryKey: ['placements', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/placements', { params: { query: { case_id: caseId, limit: 50 } } })),
  });
  const shelters = useShelters();
  const shelterName = (id: string) => shelters.data?.items.find((s) => s.id === id)?.name ?? '—';
  return (
    <Card withBorder component="section" aria-labelledby="placements-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="placements-title">
          {t('placement.title')}
        </Title>
        {!adding && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('placement.place_in_bed')}
          </Button>
        )}
      </Group>
      {adding && <PlacementPicker caseId={caseId} onPlaced={() => setAdding(false)} />}
      <QueryState query={placements}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">{t('placement.none')}</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('placement.shelter')}</Table.Th>
                  <Table.Th>{t('placement.status')}</Table.Th>
                  <Table.Th>{t('placement.start_on')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{shelterName(p.shelter_id)}</Table.Td>
                    <Table.Td>{label('PlacementStatus', p.status)}</Table.Td>
                    <Table.Td>{fmt.date(p.start_on)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </Card>
  );
}

/** Records, after a confirmation, that the client withdrew a consent in force. */
function Withdraw({ consent }: { consent: Schemas['ConsentOut'] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const withdraw = useWrite(
    () => unwrap(api.POST('/api/v1/consents/{id}/withdrawal', { params: { path: { id: consent.id } } })),
    [['consents', consent.client_id]],
  );
  const purpose = label('ConsentPurpose', consent.purpose);
  return (
    <ConfirmAction
      label={t('casework.withdraw')}
      ariaLabel={t('casework.withdraw_named', { purpose })}
      title={t('casework.withdraw_title')}
      confirmLabel={t('casework.withdraw_do')}
      action={() => withdraw.mutateAsync(undefined)}
    >
      <Text>{t('casework.withdraw_confirm', { purpose })}</Text>
      <Text size="sm" c="dimmed">
        {t('casework.withdraw_hint')}
      </Text>
    </ConfirmAction>
  );
}

function Consents({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const label = useEnumLabel();
  const fmt = useFormat();
  const consents = useQuery({
    queryKey: ['consents', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}/consents', { params: { path: { id: clientId }, query: { limit: 100 } } })),
  });
  return (
    <ListCard
      id="consents-title"
      title={t('consents.title')}
      query={consents}
      columns={[
        { header: t('consents.purpose'), cell: (c) => label('ConsentPurpose', c.purpose) },
        { header: t('consents.partners'), cell: (c) => c.partner_types.map((p) => label('PartnerOrganisationType', p)).join(', ') || '—' },
        { header: t('consents.given_at'), cell: (c) => fmt.date(c.given_at) },
        { header: t('placement.status'), cell: (c) => (c.active ? t('consents.active') : t('consents.withdrawn')) },
        ...(can('cases.work') ? [{ header: t('casework.actions'), cell: (c: Schemas['ConsentOut']) => (c.active ? <Withdraw consent={c} /> : null) }] : []),
      ]}
    />
  );
}

export default function Overview({ caseId, clientId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const caseQuery = useCase(caseId);
  return (
    <QueryState query={caseQuery}>
      {(c) => (
        <Stack>
          <Card withBorder component="section" aria-labelledby="case-summary">
            <Title order={2} size="h4" id="case-summary" mb="sm">
              {t('cases.summary')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} component="dl" m={0} mb="md">
              <Field label={t('cases.stage')}>{label('Stage', c.stage)}</Field>
              <Field label={t('cases.opened')}>{fmt.date(c.opened_at)}</Field>
              {c.closure_reason && <Field label={t('case_records.closure_reason')}>{t(`case_records.closure.${c.closure_reason}`)}</Field>}
            </SimpleGrid>
            <CaseTeam caseId={caseId} team={c.team} open={c.stage !== 'closed'} />
            {can('cases.work') && c.stage !== 'closed' && <StageChange caseId={caseId} stage={c.stage} />}
          </Card>
          {c.stage === 'closed' && can('cases.work') && <NewCase clientId={clientId} />}
          <ClientCard clientId={clientId} />
          <Consents clientId={clientId} />
          <Placements caseId={caseId} />
          <DataProtection clientId={clientId} caseCode={c.case_code} />
        </Stack>
      )}
    </QueryState>
  );
}
