// The bed board of one shelter: every room's beds, free, reserved, occupied or out of service,
// and who is in them — by case code only (pseudonyms; never identities).
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Page, QueryState } from '../../components/Page';
import { useFormat } from '../../i18n/format';
import { ShelterStaff } from './ShelterStaff';

type Occupant = { code: string | null; caseId: string | null; state: 'occupied' | 'reserved'; languages: string[]; needs: string[] };

function useBoard(shelterId: string) {
  const { can } = useAuth();
  const residentsAllowed = can('residents.read');
  const placementsAllowed = can('cases.work');
  return useQuery({
    queryKey: ['bed-board', shelterId, residentsAllowed, placementsAllowed],
    queryFn: async () => {
      const [shelter, rooms, beds] = await Promise.all([
        unwrap(api.GET('/api/v1/shelters/{id}', { params: { path: { id: shelterId } } })),
        unwrap(api.GET('/api/v1/rooms', { params: { query: { shelter_id: shelterId, limit: 200 } } })),
        unwrap(api.GET('/api/v1/beds', { params: { query: { shelter_id: shelterId, limit: 200 } } })),
      ]);
      const roomName = new Map(rooms.items.map((r) => [r.id, r.name]));
      const occupants = new Map<string, Occupant>();
      if (residentsAllowed) {
        const residents = await unwrap(api.GET('/api/v1/shelters/{id}/residents', { params: { path: { id: shelterId } } }));
        for (const r of residents.items) {
          const bed = beds.items.find((b) => b.label === r.bed && roomName.get(b.room_id) === r.room);
          if (bed) occupants.set(bed.id, { code: r.case_code, caseId: null, state: r.status === 'reserved' ? 'reserved' : 'occupied', languages: r.languages, needs: r.needs });
        }
      } else if (placementsAllowed) {
        const placements = await unwrap(api.GET('/api/v1/placements', { params: { query: { shelter_id: shelterId, limit: 200 } } }));
        for (const p of placements.items) {
          if (p.status === 'admitted' || p.status === 'reserved')
            occupants.set(p.bed_id, { code: null, caseId: p.case_id, state: p.status === 'reserved' ? 'reserved' : 'occupied', languages: [], needs: [] });
        }
      }
      return { shelter, rooms: rooms.items, beds: beds.items, occupants };
    },
  });
}

export default function BedBoard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const board = useBoard(id);
  return (
    <Page title={t('shelters.bed_board')}>
      <QueryState query={board}>
        {({ shelter, rooms, beds, occupants }) => {
          const free = beds.filter((b) => b.status === 'available' && !occupants.has(b.id)).length;
          return (
            <Stack>
              <Group justify="space-between">
                <Title order={2} size="h3">
                  {shelter.name}
                </Title>
                <Text fw={600} data-testid="free-beds">
                  {t('shelters.free_beds', { count: free, n: fmt.number(free) })}
                </Text>
              </Group>
              {rooms.map((room) => (
                <Card key={room.id} withBorder component="section" aria-labelledby={`room-${room.id}`}>
                  <Title order={3} size="h5" id={`room-${room.id}`} mb="xs">
                    {room.name}
                  </Title>
                  <SimpleGrid cols={{ base: 2, sm: 4, lg: 6 }} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                    {beds
                      .filter((b) => b.room_id === room.id)
                      .map((b) => {
                        const o = occupants.get(b.id);
                        const state = b.status !== 'available' ? 'out_of_service' : (o?.state ?? 'free');
                        return (
                          <li key={b.id} className="bed" data-state={state}>
                            <Text fw={600}>{b.label}</Text>
                            <Text size="sm">{t(`shelters.bed_${state}`)}</Text>
                            {o?.code && <Text size="sm" data-testid="resident-code">{o.code}</Text>}
                            {o?.caseId && (
                              <Anchor component={Link} to={`/cases/${o.caseId}`} size="sm">
                                {t('shelters.open_case')}
                              </Anchor>
                            )}
                            {o && o.languages.length > 0 && <Text size="xs">{o.languages.join(', ')}</Text>}
                          </li>
                        );
                      })}
                  </SimpleGrid>
                </Card>
              ))}
              {can('shelters.read') && <ShelterStaff shelterId={id} />}
            </Stack>
          );
        }}
      </QueryState>
    </Page>
  );
}
