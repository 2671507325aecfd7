// The inbox of referrals sent by other Haven organisations. Reading one shows what its sender
// shared (only what the client's consent covers); accepting it opens a case here, declining it
// records a reason the sender never sees. When the sender erases the client, what it shared is
// recalled and the item says so.
import { useState } from 'react';
import { Alert, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { useAuth } from '../../auth/AuthContext';
import { ListCard } from '../../components/ListCard';
import { Page, QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';

/** The packet's fields that were shared, as label → text pairs, in a fixed order. */
export function packetLines(p: Schemas['PacketOut'], label: (kind: string, value: string) => string): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  if (p.name) lines.push(['name', p.name]);
  if (p.date_of_birth) lines.push(['date_of_birth', p.date_of_birth]);
  const contact = [p.phone, p.email].filter(Boolean).join(', ');
  if (contact) lines.push(['contact', contact]);
  if (p.gender) lines.push(['gender', label('Gender', p.gender)]);
  if (p.age_band) lines.push(['age_band', label('AgeBand', p.age_band)]);
  if (p.nationality) lines.push(['nationality', p.nationality]);
  if (p.languages?.length) lines.push(['languages', p.languages.join(', ')]);
  if (p.needs?.length) lines.push(['needs', p.needs.map((n) => label('Need', n)).join(', ')]);
  if (p.exploitation_types?.length) lines.push(['exploitation_types', p.exploitation_types.map((e) => label('ExploitationType', e)).join(', ')]);
  return lines;
}

function Received({ id, close }: { id: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const item = useQuery({
    queryKey: ['incoming', id],
    queryFn: () => unwrap(api.GET('/api/v1/referrals/incoming/{id}', { params: { path: { id } } })),
  });
  const accept = useWrite(() => unwrap(api.POST('/api/v1/referrals/incoming/{id}/accept', { params: { path: { id } } })), [['incoming']]);
  const decline = useWrite((why: string) => unwrap(api.POST('/api/v1/referrals/incoming/{id}/decline', { params: { path: { id } }, body: { reason: why } })), [['incoming']]);
  return (
    <QueryState query={item}>
      {(r) => (
        <Stack>
          <Text>
            {r.sender_name} · {label('DirectoryServiceType', r.service_type)} · {label('ReferralUrgency', r.urgency)}
          </Text>
          {r.recalled_at && (
            <Alert color="gray" role="status">
              {t('referrals.recalled', { date: fmt.date(r.recalled_at) })}
            </Alert>
          )}
          {r.packet && (
            <Card withBorder component="section" aria-labelledby="packet-title">
              <Title order={3} size="h5" id="packet-title" mb="xs">
                {t('referrals.packet')}
              </Title>
              <Text mb="xs">{r.packet.reason}</Text>
              <SimpleGrid cols={2} component="dl" spacing={4}>
                {packetLines(r.packet, label).map(([field, text]) => (
                  <div key={field}>
                    <Text size="sm" fw={600} component="dt">
                      {label('PacketField', field)}
                    </Text>
                    <Text component="dd" m={0}>
                      {text}
                    </Text>
                  </div>
                ))}
              </SimpleGrid>
            </Card>
          )}
          {r.status === 'received' && !declining && (
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeclining(true)}>
                {t('referrals.decline')}
              </Button>
              {can('cases.work') && (
                <Button
                  loading={accept.isPending}
                  onClick={() =>
                    accept.mutate(undefined, {
                      onSuccess: (done) => {
                        close();
                        if (done.case_id) void navigate(`/cases/${done.case_id}`);
                      },
                    })
                  }
                >
                  {t('referrals.accept')}
                </Button>
              )}
            </Group>
          )}
          {declining && (
            <Stack gap="xs">
              <Textarea label={t('referrals.decline_reason')} required autosize minRows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setDeclining(false)}>
                  {t('common.cancel')}
                </Button>
                <Button disabled={!reason.trim()} loading={decline.isPending} onClick={() => decline.mutate(reason.trim(), { onSuccess: close })}>
                  {t('referrals.decline')}
                </Button>
              </Group>
            </Stack>
          )}
          {(accept.isError || decline.isError) && (
            <Text c="red.8" role="alert">
              {t('errors.generic')}
            </Text>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

export default function Incoming() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  const inbox = useQuery({
    queryKey: ['incoming'],
    queryFn: () => unwrap(api.GET('/api/v1/referrals/incoming', { params: { query: { limit: 200 } } })),
  });
  return (
    <Page title={t('nav.incoming')}>
      <ListCard
        id="incoming-title"
        title={t('referrals.inbox')}
        query={inbox}
        columns={[
          {
            header: t('referrals.sender'),
            cell: (r) => (
              <Button variant="subtle" size="compact-sm" onClick={() => setOpen(r.id)}>
                {r.sender_name}
              </Button>
            ),
          },
          { header: t('referrals.service_type'), cell: (r) => label('DirectoryServiceType', r.service_type) },
          { header: t('referrals.urgency'), cell: (r) => label('ReferralUrgency', r.urgency) },
          {
            header: t('referrals.status'),
            // A withdrawn item says so by its status; an accepted one keeps it, and is marked.
            cell: (r) => (r.recalled_at && r.status !== 'cancelled' ? `${label('IncomingStatus', r.status)} — ${t('referrals.recalled_short')}` : label('IncomingStatus', r.status)),
          },
          { header: t('referrals.received_at'), cell: (r) => fmt.date(r.received_at) },
        ]}
      />
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={open !== null} onClose={() => setOpen(null)} title={t('nav.incoming')} size="lg">
        {open && <Received id={open} close={() => setOpen(null)} />}
      </Modal>
    </Page>
  );
}
