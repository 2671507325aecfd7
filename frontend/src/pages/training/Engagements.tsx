import { Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useAuth } from '../../auth/AuthContext';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { ENGAGEMENT_TYPES, enumOptions, PARTNER_KINDS } from '../../vocab';
import { ChangeEngagement } from './EngagementEdit';
import { localDate } from '../../forms/instant';

const schema = z.object({
  partner_name: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  partner_kind: z.enum(PARTNER_KINDS as [Schemas['PartnerKind'], ...Schemas['PartnerKind'][]], { message: 'validation.required' }),
  engagement_type: z.enum(ENGAGEMENT_TYPES as [Schemas['EngagementType'], ...Schemas['EngagementType'][]], { message: 'validation.required' }),
  country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'validation.country'),
  starts_on: z.string().min(1, 'validation.required'),
});

function EngagementForm({ close }: { close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(schema, {
    partner_name: '',
    partner_kind: undefined as unknown as Schemas['PartnerKind'],
    engagement_type: undefined as unknown as Schemas['EngagementType'],
    country: '',
    starts_on: localDate(),
  });
  const add = useWrite(
    (body: Schemas['EngagementIn']) => unwrap(api.POST('/api/v1/training/engagements', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['engagements']],
  );
  return (
    <form noValidate onSubmit={form.onSubmit(async (d) => { await add.mutateAsync({ ...d, country: d.country.toUpperCase() }); close(); })}>
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('engagements.partner')} required value={form.values.partner_name} onChange={(e) => form.set('partner_name', e.currentTarget.value)} error={form.error('partner_name')} />
          <Select label={t('engagements.partner_kind')} required data={enumOptions(PARTNER_KINDS, 'PartnerKind', label)} value={form.values.partner_kind ?? null} onChange={(v) => form.set('partner_kind', v as Schemas['PartnerKind'])} error={form.error('partner_kind')} />
          <Select label={t('engagements.type')} required data={enumOptions(ENGAGEMENT_TYPES, 'EngagementType', label)} value={form.values.engagement_type ?? null} onChange={(v) => form.set('engagement_type', v as Schemas['EngagementType'])} error={form.error('engagement_type')} />
          <TextInput label={t('tenants.country')} required maxLength={2} value={form.values.country} onChange={(e) => form.set('country', e.currentTarget.value)} error={form.error('country')} />
          <TextInput type="date" label={t('engagements.starts_on')} required value={form.values.starts_on} onChange={(e) => form.set('starts_on', e.currentTarget.value)} error={form.error('starts_on')} />
        </SimpleGrid>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Engagements() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const engagements = useQuery({ queryKey: ['engagements'], queryFn: () => unwrap(api.GET('/api/v1/training/engagements', { params: { query: { limit: 200 } } })) });
  return (
    <Page title={t('nav.engagements')}>
      <ListCard
        id="engagements-title"
        title={t('engagements.title')}
        query={engagements}
        addLabel={t('engagements.add')}
        {...(can('training.manage') ? { renderForm: (close: () => void) => <EngagementForm close={close} /> } : {})}
        columns={[
          { header: t('engagements.partner'), cell: (e) => e.partner_name },
          { header: t('engagements.type'), cell: (e) => label('EngagementType', e.engagement_type) },
          { header: t('tenants.country'), cell: (e) => e.country },
          { header: t('engagements.starts_on'), cell: (e) => fmt.date(e.starts_on) },
          { header: t('engagements.status'), cell: (e) => label('EngagementStatus', e.status) },
          ...(can('training.manage') ? [{ header: t('casework.actions'), cell: (e: Schemas['EngagementOut']) => <ChangeEngagement engagement={e} /> }] : []),
        ]}
      />
    </Page>
  );
}
