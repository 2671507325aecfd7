// The organisation's proposed changes of its shared entry and where they stand: awaiting a
// platform administrator, applied, or rejected with the reviewer's note; each one's detail
// field by field.
import { Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { DialogButton } from '../../components/DialogButton';
import { useEnumLabel } from '../../components/EnumLabel';
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

/** The catalogue key of an entry field's label (as the entry page names it). */
const FIELD_LABEL: Record<string, string> = {
  name: 'directory.name',
  organisation_type: 'directory.organisation_type',
  country: 'directory.country',
  service_types: 'directory.services',
  city: 'directory.city',
  region: 'directory_edit.region',
  hours: 'directory.hours',
  accessibility: 'directory.accessibility',
  languages: 'directory.language',
  phone: 'directory.phone',
  email: 'directory.email',
  website: 'directory.website',
  open_24_7: 'directory.open_24_7',
  descriptions: 'directory.description',
};

function ProposalDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const label = useEnumLabel();
  const shown = (field: string, value: unknown) => {
    if (field === 'service_types' && Array.isArray(value)) return value.map((v) => label('DirectoryServiceType', String(v))).join(', ');
    if (field === 'organisation_type') return label('PartnerOrganisationType', String(value));
    if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
    return proposedValue(value);
  };
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
                  <Table.Td>{FIELD_LABEL[field] ? t(FIELD_LABEL[field]) : field}</Table.Td>
                  <Table.Td>{shown(field, value)}</Table.Td>
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
