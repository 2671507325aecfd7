import { Anchor, Badge, Card, Group, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSheltersWithOccupancy } from '../../api/queries';
import { Page, QueryState } from '../../components/Page';
import { useFormat } from '../../i18n/format';

export default function Shelters() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { shelters, occupancy } = useSheltersWithOccupancy();
  return (
    <Page title={t('nav.shelters')}>
      <QueryState query={shelters}>
        {(page) => (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {page.items.map((s, i) => {
              const o = occupancy[i]?.data;
              return (
                <Card key={s.id} withBorder component="article" aria-labelledby={`shelter-${s.id}`}>
                  <Group justify="space-between">
                    <Anchor component={Link} to={`/shelters/${s.id}`} fw={600} id={`shelter-${s.id}`}>
                      {s.name}
                    </Anchor>
                    <Badge color={s.status === 'active' ? 'teal.9' : 'gray.7'} variant="filled">
                      {t(`shelters.status_${s.status}`, { defaultValue: s.status })}
                    </Badge>
                  </Group>
                  {s.address && (
                    <Text size="sm" c="dimmed" mt={4}>
                      {s.address}
                    </Text>
                  )}
                  <Text mt="sm">
                    {o
                      ? t('shelters.summary', {
                          free: fmt.number(o.beds_free),
                          occupied: fmt.number(o.beds_occupied),
                          reserved: fmt.number(o.beds_reserved),
                        })
                      : '…'}
                  </Text>
                </Card>
              );
            })}
          </SimpleGrid>
        )}
      </QueryState>
    </Page>
  );
}
