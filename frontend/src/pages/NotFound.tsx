import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';

export default function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.page_not_found')}>
      <Text>{t('errors.page_not_found_body')}</Text>
      <Anchor component={Link} to="/">
        {t('nav.dashboard')}
      </Anchor>
    </Page>
  );
}
