// The client's data-protection rights on their case: everything Haven holds about them as one
// JSON file (subject access), and erasure — immediate, or awaiting a second administrator when
// the organisation asks for two people. Both are audited by the API.
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { download, exportFileName } from '../../../api/download';
import { useWrite } from '../../../api/mutate';
import { isProblem, problemDetail } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthContext';
import { useFormat } from '../../../i18n/format';

/** Why an erasure request cannot be sent yet (a message key), or null. */
export function erasureDraftError(reason: string, confirmed: boolean): string | null {
  if (!reason.trim()) return 'validation.required';
  if (reason.length > 2000) return 'validation.too_long';
  if (!confirmed) return 'erasure.confirm_required';
  return null;
}

function EraseForm({ clientId, close }: { clientId: string; close: (outcome: 'completed' | 'pending') => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const erase = useWrite(
    (body: { reason: string }) => unwrap(api.POST('/api/v1/clients/{id}/erasure', { params: { path: { id: clientId } }, body })),
    [['client', clientId], ['erasures'], ['cases']],
  );
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problem = erasureDraftError(reason, confirmed);
    if (problem) {
      setError(t(problem));
      return;
    }
    setError(null);
    try {
      const out = await erase.mutateAsync({ reason: reason.trim() });
      close(out.status === 'completed' ? 'completed' : 'pending');
    } catch (err) {
      if (isProblem(err) && err.status === 422) setError(Object.values(err.fieldErrors())[0] ?? err.message);
      else setError(problemDetail(err, t('errors.network')));
    }
  };
  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-label={t('erasure.title')}>
      <Stack>
        <Text size="sm">{t('erasure.explain')}</Text>
        <Textarea label={t('erasure.reason')} description={t('erasure.reason_hint')} required autosize minRows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Checkbox label={t('erasure.confirm')} checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" color="red" loading={erase.isPending}>
            {t('erasure.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function DataProtection({ clientId, caseCode }: { clientId: string; caseCode: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const [erasing, setErasing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const client = useQuery({
    queryKey: ['client', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id: clientId } } })),
  });
  if (!can('clients.export') && !can('clients.erase')) return null;
  const erasedAt = client.data?.erased_at ?? null;
  const exportAll = async () => {
    setError(null);
    setExporting(true);
    try {
      await download(api.GET('/api/v1/clients/{id}/export', { params: { path: { id: clientId } }, parseAs: 'blob' }), exportFileName(['client', caseCode], 'json'));
    } catch (err) {
      setError(problemDetail(err, t('errors.network')));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="data-protection-title">
      <Title order={2} size="h4" id="data-protection-title" mb="sm">
        {t('erasure.section')}
      </Title>
      <Stack>
        {erasedAt && (
          <Alert color="gray" role="status" data-testid="erased">
            {t('erasure.erased_on', { date: fmt.dateTime(erasedAt) })}
          </Alert>
        )}
        {notice && (
          <Alert color="teal" role="status">
            {notice}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          {can('clients.export') && (
            <Button variant="default" onClick={() => void exportAll()} loading={exporting}>
              {t('erasure.export')}
            </Button>
          )}
          {can('clients.erase') && !erasedAt && (
            <Button variant="outline" color="red" onClick={() => setErasing(true)}>
              {t('erasure.open')}
            </Button>
          )}
        </Group>
        {can('clients.export') && <Text size="xs" c="dimmed">{t('erasure.export_hint')}</Text>}
      </Stack>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={erasing} onClose={() => setErasing(false)} title={t('erasure.title')} size="lg">
        <EraseForm
          clientId={clientId}
          close={(outcome) => {
            setErasing(false);
            setNotice(t(outcome === 'completed' ? 'erasure.done' : 'erasure.pending'));
          }}
        />
      </Modal>
    </Card>
  );
}
