import { Alert, Card, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TabProps } from './Overview';

// Referrals to partner organisations arrive with the referral API; until then the tab says so.
export default function Referrals(_props: TabProps) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-labelledby="referrals-title">
      <Title order={2} size="h4" id="referrals-title" mb="sm">
        {t('cases.tabs.referrals')}
      </Title>
      <Alert color="gray">{t('referrals.unavailable')}</Alert>
    </Card>
  );
}
