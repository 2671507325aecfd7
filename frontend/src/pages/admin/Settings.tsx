import { useEffect, useState } from 'react';
import { Alert, Card, NumberInput, Select, Stack, Switch } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap } from '../../api/client';
import { useVersioned } from '../../api/versioned';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { Page, QueryState } from '../../components/Page';

const schema = z.object({
  procedure_template: z.string().min(1, 'validation.required'),
  reflection_days: z.number({ message: 'validation.required' }).int().min(1, 'validation.positive').max(365, 'validation.too_large'),
  session_lock_minutes: z.number({ message: 'validation.required' }).int().min(1, 'validation.positive').max(480, 'validation.too_large'),
  deadline_notice_days: z.number({ message: 'validation.required' }).int().min(0, 'validation.not_negative').max(60, 'validation.too_large'),
  k_threshold: z.number({ message: 'validation.required' }).int().min(5, 'settings.k_threshold_min').max(1000, 'validation.too_large'),
  // Empty: no retention period (kept until erased by hand).
  retention_years: z.number().int().min(1, 'validation.positive').max(100, 'validation.too_large').nullable(),
  two_person_erasure: z.boolean(),
});

export default function Settings() {
  const { t } = useTranslation();
  const client = useQueryClient();
  // Read with its version: a colleague's change since this page was opened is refused (412),
  // not silently undone by the form's other fields.
  const settings = useVersioned(['settings'], () => api.GET('/api/v1/settings'));
  const templates = useQuery({ queryKey: ['procedure-templates'], queryFn: () => unwrap(api.GET('/api/v1/procedure-templates')) });
  const form = useZodForm(schema, { procedure_template: '', reflection_days: 30, session_lock_minutes: 15, deadline_notice_days: 7, k_threshold: 11, retention_years: null, two_person_erasure: false });
  const { setValues } = form;
  useEffect(() => {
    if (settings.data) setValues({ ...settings.data.data, retention_years: settings.data.data.retention_years ?? null });
  }, [settings.data, setValues]);
  const [saved, setSaved] = useState(false);
  return (
    <Page title={t('nav.settings')}>
      <QueryState query={settings}>
        {({ etag }) => (
          <Card withBorder maw={560}>
            <form
              noValidate
              onSubmit={form.onSubmit(async (d) => {
                setSaved(false);
                const out = await unwrap(api.PATCH('/api/v1/settings', { params: { header: { 'If-Match': etag } }, body: d }));
                client.setQueryData(['settings'], out);
                await settings.refetch();
                setSaved(true);
              })}
            >
              <Stack>
                <Select
                  label={t('settings.procedure_template')}
                  data={(templates.data?.items ?? []).map((tpl) => ({ value: tpl.id, label: tpl.name }))}
                  value={form.values.procedure_template || null}
                  onChange={(v) => form.set('procedure_template', v ?? '')}
                  error={form.error('procedure_template')}
                  allowDeselect={false}
                />
                <NumberInput label={t('settings.reflection_days')} min={1} max={365} value={form.values.reflection_days} onChange={(v) => form.set('reflection_days', typeof v === 'number' ? v : Number.NaN)} error={form.error('reflection_days')} />
                <NumberInput
                  label={t('settings.deadline_notice_days')}
                  description={t('settings.deadline_notice_hint')}
                  min={0}
                  max={60}
                  value={form.values.deadline_notice_days}
                  onChange={(v) => form.set('deadline_notice_days', typeof v === 'number' ? v : Number.NaN)}
                  error={form.error('deadline_notice_days')}
                />
                <NumberInput
                  label={t('settings.session_lock_minutes')}
                  description={t('settings.session_lock_hint')}
                  min={1}
                  max={480}
                  value={form.values.session_lock_minutes}
                  onChange={(v) => form.set('session_lock_minutes', typeof v === 'number' ? v : Number.NaN)}
                  error={form.error('session_lock_minutes')}
                />
                <NumberInput
                  label={t('settings.k_threshold')}
                  description={t('settings.k_threshold_hint')}
                  min={5}
                  max={1000}
                  value={form.values.k_threshold}
                  onChange={(v) => form.set('k_threshold', typeof v === 'number' ? v : Number.NaN)}
                  error={form.error('k_threshold')}
                />
                <NumberInput
                  label={t('settings.retention_years')}
                  description={t('settings.retention_hint')}
                  min={1}
                  max={100}
                  value={form.values.retention_years ?? ''}
                  onChange={(v) => form.set('retention_years', v === '' ? null : typeof v === 'number' ? v : Number.NaN)}
                  error={form.error('retention_years')}
                />
                <Switch
                  label={t('settings.two_person_erasure')}
                  description={t('settings.two_person_erasure_hint')}
                  checked={form.values.two_person_erasure}
                  onChange={(e) => form.set('two_person_erasure', e.currentTarget.checked)}
                />
                {saved && (
                  <Alert color="teal" role="status">
                    {t('settings.saved')}
                  </Alert>
                )}
                <FormActions error={form.formError} submitting={form.submitting} />
              </Stack>
            </form>
          </Card>
        )}
      </QueryState>
    </Page>
  );
}
