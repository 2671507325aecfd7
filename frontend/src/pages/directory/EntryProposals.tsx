// The organisation's proposed changes of its shared entry and where they stand: awaiting a
// platform administrator, applied, or rejected with the reviewer's note; each one's detail
// field by field.
import { Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { DialogButton } from '../../components/DialogButton';
import { ListCard } from '../../components/ListCard';
import { QueryState } from '../../components/Page';
import { useFormat } from '../../i18n/format';

/** A proposed value as text. */
export function proposedValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('; ');
  return String(value);
}

const STATUS_LABEL: Record<Schemas['VerificationStatus'], string> = { pending: 'directory.pending', verified: 'directory_edit.applied', rejected: 'directory_edit.rejected' };

function ProposalDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const proposal = useQuery({
    queryKey: ['directory-proposals', 'one', id],
    queryFn: () => unwrap(api.GET('/api/v1/directory/proposals/{id}', { params: { path: { id } } })),
  });
  return (
    <QueryState query={proposal}>
      {(p) => (
        <Stack>
          <Text size="sm">
            {t('directory_edit.proposal_summary', { status: t(STATUS_LABEL[p.status]), date: fmt.dateTime(p.created_at) })}
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('directory_edit.field')}</Table.Th>
                <Table.Th>{t('directory_edit.proposed_value')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(p.changes as Record<string, unknown>).map(([field, value]) => (
                <Table.Tr key={field}>
                  <Table.Td>{field}</Table.Td>
                  <Table.Td>{proposedValue(value)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {p.review_note && (
            <Text size="sm">
              {t('directory.review_note')}: {p.review_note}
            </Text>
          )}
          {p.reviewed_at && <Text size="sm">{t('directory_edit.reviewed_at', { date: fmt.dateTime(p.reviewed_at) })}</Text>}
        </Stack>
      )}
    </QueryState>
  );
}


export function EntryProposals({ entryId }: { entryId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const proposals = useQuery({
    queryKey: ['directory-proposals', 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/directory/proposals', { params: { query: { limit: 200 } } })),
    select: (page): Schemas['ProposalPage'] => ({ ...page, items: page.items.filter((p) => p.organisation_id === entryId) }),
  });
  return (
    <ListCard
      id="entry-proposals"
      title={t('directory_edit.proposals')}
      query={proposals}
      columns={[
        { header: t('directory_edit.proposed_on'), cell: (p) => fmt.date(p.created_at) },
        {
          header: t('directory.status'),
          cell: (p) => t(STATUS_LABEL[p.status]),
        },
        { header: t('directory.review_note'), cell: (p) => p.review_note ?? '—' },
        {
          header: t('directory_edit.detail'),
          cell: (p) => (
            <DialogButton label={t('directory_edit.detail')} ariaLabel={t('directory_edit.detail_named', { date: fmt.date(p.created_at) })} title={t('directory_edit.proposal_title')} size="lg">
              {() => <ProposalDetail id={p.id} />}
            </DialogButton>
          ),
        },
      ]}
    />
  );
}
