// The bed board of one shelter: every room's beds, free, reserved, occupied or out of service,
// and who is in them — by case code only (pseudonyms; never identities). With `shelters.manage`
// the rooms and beds are kept here; with `cases.work` a stay is changed from its bed.
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { isProblem } from '../../api/problem';
import { useAuth } from '../../auth/AuthContext';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { DialogButton } from '../../components/DialogButton';
import { Page, QueryState } from '../../components/Page';
import { useFormat } from '../../i18n/format';
import { BOARD_KEYS, EditBed, EditRoom, NewBed, NewRoom } from './BoardAdmin';
import { ChangeStay } from './ChangeStay';
import { ShelterStaff } from './ShelterStaff';

type Occupant = { code: string | null; caseId: string | null; placementId: string; state: 'occupied' | 'reserved'; languages: string[]; needs: string[] };

/** The residents by case code, or `null` for a shelter the reader does not work at. */
async function residentsOf(shelterId: string) {
  try {
    return await unwrap(api.GET('/api/v1/shelters/{id}/residents', { params: { path: { id: shelterId } } }));
  } catch (err) {
    if (isProblem(err) && err.status === 404) return null;
    throw err;
  }
}

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
      const residents = residentsAllowed ? await residentsOf(shelterId) : null;
      if (residents) {
        for (const r of residents.items) {
          const bed = beds.items.find((b) => b.label === r.bed && roomName.get(b.room_id) === r.room);
          if (bed) occupants.set(bed.id, { code: r.case_code, caseId: null, placementId: r.placement_id, state: r.status === 'reserved' ? 'reserved' : 'occupied', languages: r.languages, needs: r.needs });
        }
      } else if (placementsAllowed) {
        const placements = await unwrap(api.GET('/api/v1/placements', { params: { query: { shelter_id: shelterId, limit: 200 } } }));
        for (const p of placements.items) {
          if (p.status === 'admitted' || p.status === 'reserved')
            occupants.set(p.bed_id, { code: null, caseId: p.case_id, placementId: p.id, state: p.status === 'reserved' ? 'reserved' : 'occupied', languages: [], needs: [] });
        }
      }
      return { shelter, rooms: rooms.items, beds: beds.items, occupants };
    },
  });
}

function BedTile({ bed, occupant, rooms }: { bed: Schemas['BedOut']; occupant: Occupant | undefined; rooms: Schemas['RoomOut'][] }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const o = occupant;
  const state = bed.status !== 'available' ? 'out_of_service' : (o?.state ?? 'free');
  return (
    <li className="bed" data-state={state}>
      <Text fw={600}>{bed.label}</Text>
      <Text size="sm">{t(`shelters.bed_${state}`)}</Text>
      {o?.code && <Text size="sm" data-testid="resident-code">{o.code}</Text>}
      {o?.caseId && (
        <Anchor component={Link} to={`/cases/${o.caseId}`} size="sm">
          {t('shelters.open_case')}
        </Anchor>
      )}
      {o && o.languages.length > 0 && <Text size="xs">{o.languages.join(', ')}</Text>}
      <Group gap={4} mt={4}>
        {o && can('cases.work') && (
          <DialogButton label={t('shelter_admin.change_stay')} ariaLabel={t('shelter_admin.change_stay_named', { bed: bed.label })} title={t('shelter_admin.change_stay_title')} button={{ size: 'compact-xs' }}>
            {(close) => <ChangeStay id={o.placementId} close={close} />}
          </DialogButton>
        )}
        {can('shelters.manage') && (
          <>
            <DialogButton label={t('shelter_admin.change')} ariaLabel={t('shelter_admin.change_bed_named', { bed: bed.label })} title={t('shelter_admin.change_bed_title')} button={{ size: 'compact-xs' }}>
              {(close) => <EditBed id={bed.id} rooms={rooms} close={close} />}
            </DialogButton>
            <ConfirmRemove
              label={t('shelter_admin.remove')}
              ariaLabel={t('shelter_admin.remove_bed_named', { bed: bed.label })}
              title={t('shelter_admin.remove_bed_title')}
              text={t('shelter_admin.remove_bed_text', { bed: bed.label })}
              remove={() => unwrap(api.DELETE('/api/v1/beds/{id}', { params: { path: { id: bed.id } } }))}
              invalidate={BOARD_KEYS}
              button={{ size: 'compact-xs' }}
            />
          </>
        )}
      </Group>
    </li>
  );
}

function RoomCard({ room, rooms, beds, occupants, open }: { room: Schemas['RoomOut']; rooms: Schemas['RoomOut'][]; beds: Schemas['BedOut'][]; occupants: Map<string, Occupant>; open: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const inRoom = beds.filter((b) => b.room_id === room.id);
  return (
    <Card withBorder component="section" aria-labelledby={`room-${room.id}`}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id={`room-${room.id}`}>
          {room.name}
          {room.floor && (
            <Text span size="sm" c="dimmed" fw={400}>
              {' '}
              · {room.floor}
            </Text>
          )}
        </Title>
        {can('shelters.manage') && (
          <Group gap="xs">
            {open && (
              <DialogButton label={t('shelter_admin.add_bed')} ariaLabel={t('shelter_admin.add_bed_named', { room: room.name })} title={t('shelter_admin.add_bed_title', { room: room.name })}>
                {(close) => <NewBed roomId={room.id} close={close} />}
              </DialogButton>
            )}
            <DialogButton label={t('shelter_admin.change')} ariaLabel={t('shelter_admin.change_room_named', { room: room.name })} title={t('shelter_admin.change_room_title')}>
              {(close) => <EditRoom id={room.id} close={close} />}
            </DialogButton>
            <ConfirmRemove
              label={t('shelter_admin.remove')}
              ariaLabel={t('shelter_admin.remove_room_named', { room: room.name })}
              title={t('shelter_admin.remove_room_title')}
              text={t('shelter_admin.remove_room_text', { room: room.name })}
              remove={() => unwrap(api.DELETE('/api/v1/rooms/{id}', { params: { path: { id: room.id } } }))}
              invalidate={BOARD_KEYS}
            />
          </Group>
        )}
      </Group>
      {inRoom.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('shelter_admin.no_beds')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 4, lg: 6 }} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {inRoom.map((b) => (
            <BedTile key={b.id} bed={b} occupant={occupants.get(b.id)} rooms={rooms} />
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
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
                <Group>
                  <Text fw={600} data-testid="free-beds">
                    {t('shelters.free_beds', { count: free, n: fmt.number(free) })}
                  </Text>
                  {can('shelters.manage') && shelter.status === 'active' && (
                    <DialogButton label={t('shelter_admin.add_room')} title={t('shelter_admin.add_room')} button={{ size: 'sm' }}>
                      {(close) => <NewRoom shelterId={id} close={close} />}
                    </DialogButton>
                  )}
                </Group>
              </Group>
              {rooms.length === 0 && <Text c="dimmed">{t('shelter_admin.no_rooms')}</Text>}
              {rooms.map((room) => (
                <RoomCard key={room.id} room={room} rooms={rooms} beds={beds} occupants={occupants} open={shelter.status === 'active'} />
              ))}
              {can('shelters.read') && <ShelterStaff shelterId={id} />}
            </Stack>
          );
        }}
      </QueryState>
    </Page>
  );
}
