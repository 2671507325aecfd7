// The organisation's shelters with how full they are; with `shelters.manage`, opening,
// changing or closing and removing a shelter.
import { Anchor, Badge, Card, Group, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useSheltersWithOccupancy } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { DialogButton } from '../../components/DialogButton';
import { Page, QueryState } from '../../components/Page';
import { useFormat } from '../../i18n/format';
import { EditShelter, NewShelter } from './ShelterForm';

export default function Shelters() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { shelters, occupancy } = useSheltersWithOccupancy();
  const { can } = useAuth();
  const manage = can('shelters.manage');
  return (
    <Page
      title={t('nav.shelters')}
      actions={
        manage && (
          <DialogButton label={t('shelter_admin.add')} title={t('shelter_admin.add')} size="lg" button={{ size: 'sm', variant: 'filled' }}>
            {(close) => <NewShelter close={close} />}
          </DialogButton>
        )
      }
    >
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
                  {manage && (
                    <Group mt="sm" gap="xs">
                      <DialogButton label={t('shelter_admin.change')} ariaLabel={t('shelter_admin.change_named', { name: s.name })} title={t('shelter_admin.change_title')} size="lg">
                        {(close) => <EditShelter id={s.id} close={close} />}
                      </DialogButton>
                      <ConfirmRemove
                        label={t('shelter_admin.remove')}
                        ariaLabel={t('shelter_admin.remove_named', { name: s.name })}
                        title={t('shelter_admin.remove_shelter_title')}
                        text={t('shelter_admin.remove_shelter_text', { name: s.name })}
                        remove={() => unwrap(api.DELETE('/api/v1/shelters/{id}', { params: { path: { id: s.id } } }))}
                        invalidate={[['shelters'], ['occupancy']]}
                      />
                    </Group>
                  )}
                </Card>
              );
            })}
          </SimpleGrid>
        )}
      </QueryState>
    </Page>
  );
}
