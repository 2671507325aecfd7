// Every referral the organisation sent from the cases one may see, newest first, by status;
// the case's own Referrals tab is where one is followed up.
import { useState } from 'react';
import { Anchor, Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { enumOptions, REFERRAL_STATUSES } from '../../vocab';

export default function Outgoing() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const [status, setStatus] = useState<string | null>(null);
  const referrals = useQuery({
    queryKey: ['referrals', 'outgoing', status],
    queryFn: () => unwrap(api.GET('/api/v1/referrals', { params: { query: { limit: 200, ...(status ? { status: status as Schemas['ReferralStatus'] } : {}) } } })),
  });
  const cases = useQuery({
    queryKey: ['cases', 'codes'],
    queryFn: () => unwrap(api.GET('/api/v1/cases', { params: { query: { limit: 200 } } })),
  });
  const code = (id: string) => cases.data?.items.find((c) => c.id === id)?.case_code ?? t('referrals.open_case');
  return (
    <Page title={t('legal_edit.outgoing_title')}>
      <Select
        maw={280}
        label={t('referrals.status')}
        placeholder={t('common.all')}
        clearable
        data={enumOptions(REFERRAL_STATUSES, 'ReferralStatus', label)}
        value={status}
        onChange={setStatus}
      />
      <ListCard
        id="outgoing-title"
        title={t('legal_edit.outgoing_list')}
        query={referrals}
        columns={[
          { header: t('referrals.sent_at'), cell: (r) => fmt.date(r.sent_at) },
          {
            header: t('legal_edit.case'),
            cell: (r) => (
              <Anchor component={Link} to={`/cases/${r.case_id}/referrals`} size="sm">
                {code(r.case_id)}
              </Anchor>
            ),
          },
          { header: t('referrals.organisation'), cell: (r) => r.organisation_name ?? '—' },
          { header: t('referrals.service_type'), cell: (r) => label('DirectoryServiceType', r.service_type) },
          { header: t('referrals.urgency'), cell: (r) => label('ReferralUrgency', r.urgency) },
          { header: t('referrals.status'), cell: (r) => label('ReferralStatus', r.status) },
        ]}
      />
    </Page>
  );
}
