// A closed case is a finished assistance episode. When the client needs help again, a new case
// is opened for the same client (the client's record and history stay); the API refuses while
// the client has an open case, so that one is linked to instead.
import { Alert, Anchor, Group, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { FormActions } from '../../../components/FormActions';
import { RecordDialog } from '../../../components/RecordDialog';
import { useZodForm } from '../../../forms/useZodForm';
import { useFormat } from '../../../i18n/format';

const schema = z.object({ reason: z.string().trim().max(2000, 'validation.too_long') });

function NewCaseForm({ clientId, close }: { clientId: string; close: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useZodForm(schema, { reason: '' });
  const open = useWrite(
    (body: Schemas['CaseIn']) => unwrap(api.POST('/api/v1/cases', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['cases'], ['client-cases', clientId]],
  );
  return (
    <form
      noValidate
      aria-label={t('case_records.new_case')}
      onSubmit={form.onSubmit(async (d) => {
        const created = await open.mutateAsync({ client_id: clientId, ...(d.reason.trim() ? { reason: d.reason.trim() } : {}) });
        close();
        void navigate(`/cases/${created.id}`);
      })}
    >
      <Stack>
        <Text size="sm">{t('case_records.new_case_hint')}</Text>
        <Textarea
          label={t('case_records.new_case_reason')}
          description={t('case_records.no_names_hint')}
          autosize
          minRows={2}
          maxLength={2000}
          value={form.values.reason}
          onChange={(e) => form.set('reason', e.currentTarget.value)}
          error={form.error('reason')}
        />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export function NewCase({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const cases = useQuery({
    queryKey: ['client-cases', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/cases', { params: { query: { client_id: clientId, limit: 50 } } })),
  });
  const current = cases.data?.items.find((c) => c.stage !== 'closed');
  return (
    <Alert color="gray" title={t('case_records.closed_title')}>
      {current ? (
        <Anchor component={Link} to={`/cases/${current.id}`}>
          {t('case_records.current_case', { date: fmt.date(current.opened_at) })}
        </Anchor>
      ) : (
        <Group justify="space-between">
          <Text size="sm">{t('case_records.closed_hint')}</Text>
          {cases.data && (
            <RecordDialog label={t('case_records.new_case')} title={t('case_records.new_case')} variant="light">
              {(close) => <NewCaseForm clientId={clientId} close={close} />}
            </RecordDialog>
          )}
        </Group>
      )}
    </Alert>
  );
}
