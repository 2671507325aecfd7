// Referrals of a case to partner organisations of the directory. Sending one needs the client's
// consent to share with that kind of organisation; the API checks it, and the form shows its
// answer (and, to those allowed, the audited override with a reason).
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../../api/client';
import { isProblem } from '../../../api/problem';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useAuth } from '../../../auth/AuthContext';
import { DirectoryPicker } from '../../../components/DirectoryPicker';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import { enumOptions, PACKET_FIELDS, REFERRAL_URGENCIES, SERVICE_AREAS } from '../../../vocab';
import type { TabProps } from './Overview';

type Status = Schemas['ReferralStatus'];

/** Where a referral may go next from the sender's side (a Haven organisation answers itself). */
export function nextStatuses(status: Status, toHaven: boolean): Status[] {
  switch (status) {
    case 'sent':
      return toHaven ? ['cancelled'] : ['accepted', 'declined', 'cancelled'];
    case 'accepted':
      return ['completed', 'cancelled'];
    default:
      return [];
  }
}

export interface ReferralDraft {
  organisation: Schemas['EntryOut'] | null;
  service_type: string | null;
  service_area: string | null;
  urgency: string | null;
  reason: string;
  shared_fields: string[];
  override: boolean;
  override_reason: string;
}

/** Field problems of a draft (message keys), before anything is sent. */
export function draftErrors(d: ReferralDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.organisation) errors.organisation_id = 'validation.required';
  if (!d.service_type) errors.service_type = 'validation.required';
  if (!d.service_area) errors.service_area = 'validation.required';
  if (!d.urgency) errors.urgency = 'validation.required';
  if (!d.reason.trim()) errors.reason = 'validation.required';
  else if (d.reason.length > 2000) errors.reason = 'validation.too_long';
  if (d.override && !d.override_reason.trim()) errors.override_reason = 'validation.required';
  return errors;
}

function Consents({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const consents = useQuery({
    queryKey: ['consents', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}/consents', { params: { path: { id: clientId }, query: { limit: 100 } } })),
  });
  const sharing = (consents.data?.items ?? []).filter((c) => c.purpose === 'sharing_with_partners' && !c.withdrawn_at);
  return (
    <Text size="sm" data-testid="sharing-consents">
      {sharing.length === 0
        ? t('referrals.no_sharing_consent')
        : t('referrals.sharing_consent', { partners: [...new Set(sharing.flatMap((c) => c.partner_types))].map((p) => label('PartnerOrganisationType', p)).join(', ') })}
    </Text>
  );
}

function ReferralForm({ caseId, clientId, close }: TabProps & { close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const { can } = useAuth();
  const [d, setD] = useState<ReferralDraft>({
    organisation: null,
    service_type: null,
    service_area: null,
    urgency: 'routine',
    reason: '',
    shared_fields: ['gender', 'age_band', 'languages'],
    override: false,
    override_reason: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const set = <K extends keyof ReferralDraft>(key: K, value: ReferralDraft[K]) => setD((old) => ({ ...old, [key]: value }));
  const send = useWrite(
    (body: Schemas['ReferralIn']) => unwrap(api.POST('/api/v1/referrals', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['referrals', caseId], ['timeline', caseId]],
  );
  const message = (key: string | undefined) => (key ? t(key, { defaultValue: key }) : undefined);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const found = draftErrors(d);
    setErrors(found);
    if (Object.keys(found).length > 0 || !d.organisation) return;
    setRefusal(null);
    setFormError(null);
    try {
      await send.mutateAsync({
        case_id: caseId,
        organisation_id: d.organisation.id,
        service_type: d.service_type as Schemas['DirectoryServiceType'],
        service_area: d.service_area as Schemas['ServiceArea'],
        urgency: d.urgency as Schemas['ReferralUrgency'],
        reason: d.reason.trim(),
        shared_fields: d.shared_fields as Schemas['PacketField'][],
        ...(d.override ? { consent_override: true, override_reason: d.override_reason.trim() } : {}),
      });
      close();
    } catch (err) {
      if (isProblem(err, 'consent_required')) setRefusal(err.body?.detail ?? t('referrals.consent_required'));
      else if (isProblem(err) && err.status === 422) setErrors(err.fieldErrors());
      else setFormError(isProblem(err) ? (err.body?.detail ?? t('errors.generic')) : t('errors.generic'));
    }
  };
  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-label={t('referrals.new')}>
      <Stack mb="md">
        <Consents clientId={clientId} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DirectoryPicker
            label={t('referrals.organisation')}
            required
            value={d.organisation?.id ?? null}
            onChange={(picked) => setD((old) => ({ ...old, organisation: picked, service_type: picked?.service_types.length === 1 ? (picked.service_types[0] ?? null) : null }))}
            error={message(errors.organisation_id)}
          />
          <Select
            label={t('referrals.service_type')}
            required
            disabled={!d.organisation}
            data={(d.organisation?.service_types ?? []).map((s) => ({ value: s, label: label('DirectoryServiceType', s) }))}
            value={d.service_type}
            onChange={(v) => set('service_type', v)}
            error={message(errors.service_type)}
          />
          <Select label={t('referrals.service_area')} required data={enumOptions(SERVICE_AREAS, 'ServiceArea', label)} value={d.service_area} onChange={(v) => set('service_area', v)} error={message(errors.service_area)} />
          <Select label={t('referrals.urgency')} required data={enumOptions(REFERRAL_URGENCIES, 'ReferralUrgency', label)} value={d.urgency} onChange={(v) => set('urgency', v)} error={message(errors.urgency)} />
        </SimpleGrid>
        <Textarea label={t('referrals.reason')} required autosize minRows={2} maxLength={2000} value={d.reason} onChange={(e) => set('reason', e.currentTarget.value)} error={message(errors.reason)} />
        <Checkbox.Group label={t('referrals.shared_fields')} description={t('referrals.shared_fields_hint')} value={d.shared_fields} onChange={(v) => set('shared_fields', v)}>
          <Group mt="xs">
            {PACKET_FIELDS.map((f) => (
              <Checkbox key={f} value={f} label={label('PacketField', f)} />
            ))}
          </Group>
        </Checkbox.Group>
        {refusal && (
          <Alert color="red" role="alert" title={t('referrals.refused')} data-testid="consent-gate">
            {refusal}
          </Alert>
        )}
        {refusal && can('referrals.consent_override') && (
          <Stack gap="xs">
            <Checkbox label={t('referrals.override')} checked={d.override} onChange={(e) => set('override', e.currentTarget.checked)} />
            {d.override && (
              <Textarea label={t('referrals.override_reason')} required autosize minRows={2} maxLength={2000} value={d.override_reason} onChange={(e) => set('override_reason', e.currentTarget.value)} error={message(errors.override_reason)} />
            )}
          </Stack>
        )}
        <FormActions error={formError} submitting={send.isPending} onCancel={close} />
      </Stack>
    </form>
  );
}

function Move({ referral }: { referral: Schemas['ReferralOut'] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [failed, setFailed] = useState(false);
  const move = useWrite(
    async (to: Status) => {
      const { etag } = await unwrapVersioned(api.GET('/api/v1/referrals/{id}', { params: { path: { id: referral.id } } }));
      return unwrap(api.POST('/api/v1/referrals/{id}/transitions', { params: { path: { id: referral.id }, header: { 'If-Match': etag } }, body: { to } }));
    },
    [['referrals', referral.case_id]],
  );
  const next = nextStatuses(referral.status, referral.to_haven_organisation);
  if (next.length === 0) return null;
  return (
    <Group gap={4}>
      {next.map((to) => (
        <Button
          key={to}
          size="compact-xs"
          variant="default"
          loading={move.isPending && move.variables === to}
          onClick={() => move.mutate(to, { onError: () => setFailed(true), onSuccess: () => setFailed(false) })}
        >
          {t('referrals.mark', { status: label('ReferralStatus', to) })}
        </Button>
      ))}
      {failed && (
        <Text size="xs" c="red.8" role="alert">
          {t('errors.generic')}
        </Text>
      )}
    </Group>
  );
}

/** The printable pack, in a frame that runs no script, with a print button. */
function Pack({ referralId }: { referralId: string }) {
  const { t } = useTranslation();
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [frame, setFrame] = useState<HTMLIFrameElement | null>(null);
  const open = async () => {
    setError(null);
    const { data, error: problem, response } = await api.GET('/api/v1/referrals/{id}/pack', { params: { path: { id: referralId } }, parseAs: 'text' });
    if (!response.ok) {
      setError((problem as { detail?: string } | undefined)?.detail ?? t('errors.generic'));
      return;
    }
    setHtml(data ?? '');
  };
  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={() => void open()}>
        {t('referrals.pack')}
      </Button>
      {error && (
        <Text size="xs" c="red.8" role="alert">
          {error}
        </Text>
      )}
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={html !== null} onClose={() => setHtml(null)} title={t('referrals.pack')} size="xl">
        <Stack>
          <iframe ref={setFrame} title={t('referrals.pack')} sandbox="allow-same-origin allow-modals" srcDoc={html ?? ''} style={{ width: '100%', height: '60vh', border: '1px solid #ccc' }} />
          <Group justify="flex-end">
            <Button onClick={() => frame?.contentWindow?.print()}>{t('referrals.print')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export default function Referrals({ caseId, clientId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const referrals = useQuery({
    queryKey: ['referrals', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/referrals', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <ListCard
      id="referrals-title"
      title={t('cases.tabs.referrals')}
      query={referrals}
      addLabel={t('referrals.new')}
      {...(can('cases.work') ? { renderForm: (close: () => void) => <ReferralForm caseId={caseId} clientId={clientId} close={close} /> } : {})}
      columns={[
        { header: t('referrals.organisation'), cell: (r) => r.organisation_name ?? '—' },
        { header: t('referrals.service_type'), cell: (r) => label('DirectoryServiceType', r.service_type) },
        { header: t('referrals.urgency'), cell: (r) => label('ReferralUrgency', r.urgency) },
        {
          header: t('referrals.status'),
          // After the client's erasure: the receiving organisation's copy was cleared.
          cell: (r) => (r.recalled_at ? `${label('ReferralStatus', r.status)} — ${t('referrals.recalled_sent', { date: fmt.date(r.recalled_at) })}` : label('ReferralStatus', r.status)),
        },
        { header: t('referrals.sent_at'), cell: (r) => fmt.date(r.sent_at) },
        { header: t('referrals.consent'), cell: (r) => (r.consent_override ? t('referrals.overridden') : t('referrals.consented')) },
        {
          header: t('referrals.actions'),
          cell: (r) => (
            <Group gap={4} wrap="nowrap">
              <Move referral={r} />
              <Pack referralId={r.id} />
            </Group>
          ),
        },
      ]}
    />
  );
}
