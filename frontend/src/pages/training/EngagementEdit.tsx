// Changing a technical-assistance engagement, read with its version: its partner, dates,
// status and deliverables (one per line).
import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ChangeRecord } from '../../components/EditDialog';
import { useEnumLabel } from '../../components/EnumLabel';
import { ENGAGEMENT_STATUSES, ENGAGEMENT_TYPES, enumOptions, PARTNER_KINDS } from '../../vocab';
import { lines } from './CourseForm';

const schema = z.object({
  partner_name: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  partner_kind: z.enum(PARTNER_KINDS as [Schemas['PartnerKind'], ...Schemas['PartnerKind'][]]),
  engagement_type: z.enum(ENGAGEMENT_TYPES as [Schemas['EngagementType'], ...Schemas['EngagementType'][]]),
  country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'validation.country'),
  starts_on: z.string().min(1, 'validation.required'),
  ends_on: z.string(),
  status: z.enum(ENGAGEMENT_STATUSES as [Schemas['EngagementStatus'], ...Schemas['EngagementStatus'][]]),
  deliverables: z.string(),
});

function EngagementForm({ engagement, etag, close }: { engagement: Schemas['EngagementOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(schema, {
    partner_name: engagement.partner_name,
    partner_kind: engagement.partner_kind,
    engagement_type: engagement.engagement_type,
    country: engagement.country,
    starts_on: engagement.starts_on,
    ends_on: engagement.ends_on ?? '',
    status: engagement.status,
    deliverables: engagement.deliverables.join('\n'),
  });
  const save = useWrite(
    (body: Schemas['EngagementPatchIn']) => unwrap(api.PATCH('/api/v1/training/engagements/{id}', { params: { path: { id: engagement.id }, header: { 'If-Match': etag } }, body })),
    [['engagements']],
  );
  return (
    <form
      noValidate
      aria-label={t('training_edit.engagement_change_title')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync({ ...d, country: d.country.toUpperCase(), ends_on: d.ends_on || null, deliverables: lines(d.deliverables) });
        close();
      })}
    >
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('engagements.partner')} required maxLength={200} value={form.values.partner_name} onChange={(e) => form.set('partner_name', e.currentTarget.value)} error={form.error('partner_name')} />
          <Select label={t('engagements.partner_kind')} data={enumOptions(PARTNER_KINDS, 'PartnerKind', label)} value={form.values.partner_kind} onChange={(v) => v && form.set('partner_kind', v as Schemas['PartnerKind'])} allowDeselect={false} />
          <Select label={t('engagements.type')} data={enumOptions(ENGAGEMENT_TYPES, 'EngagementType', label)} value={form.values.engagement_type} onChange={(v) => v && form.set('engagement_type', v as Schemas['EngagementType'])} allowDeselect={false} />
          <TextInput label={t('tenants.country')} required maxLength={2} value={form.values.country} onChange={(e) => form.set('country', e.currentTarget.value)} error={form.error('country')} />
          <TextInput type="date" label={t('engagements.starts_on')} required value={form.values.starts_on} onChange={(e) => form.set('starts_on', e.currentTarget.value)} error={form.error('starts_on')} />
          <TextInput type="date" label={t('training_edit.ends_on')} value={form.values.ends_on} onChange={(e) => form.set('ends_on', e.currentTarget.value)} error={form.error('ends_on')} />
          <Select label={t('engagements.status')} data={enumOptions(ENGAGEMENT_STATUSES, 'EngagementStatus', label)} value={form.values.status} onChange={(v) => v && form.set('status', v as Schemas['EngagementStatus'])} allowDeselect={false} />
        </SimpleGrid>
        <Textarea label={t('training_edit.deliverables')} description={t('training_edit.one_per_line')} autosize minRows={2} value={form.values.deliverables} onChange={(e) => form.set('deliverables', e.currentTarget.value)} error={form.error('deliverables')} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export function ChangeEngagement({ engagement }: { engagement: Schemas['EngagementOut'] }) {
  const { t } = useTranslation();
  return (
    <ChangeRecord
      label={t('training_edit.change')}
      ariaLabel={t('training_edit.engagement_change_named', { partner: engagement.partner_name })}
      title={t('training_edit.engagement_change_title')}
      size="lg"
      queryKey={['engagement', engagement.id]}
      read={() => unwrapVersioned(api.GET('/api/v1/training/engagements/{id}', { params: { path: { id: engagement.id } } }))}
    >
      {(e, etag, close) => <EngagementForm engagement={e} etag={etag} close={close} />}
    </ChangeRecord>
  );
}
