// Choosing a free bed for a case: a shelter, then one of its beds that is in service and has
// no current placement, and the first night.
import { useState } from 'react';
import { Alert, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useShelters } from '../api/queries';
import { api, unwrap, type Schemas } from '../api/client';
import { idempotencyKey, useWrite } from '../api/mutate';
import { isProblem } from '../api/problem';
import { localDate } from '../forms/instant';

/** The beds of a shelter that can be offered now (the API knows every placement, the case
 * worker only their own cases'). */
export function useFreeBeds(shelterId: string | null) {
  return useQuery({
    queryKey: ['free-beds', shelterId],
    enabled: Boolean(shelterId),
    queryFn: async () => {
      const id = shelterId ?? '';
      const [rooms, beds] = await Promise.all([
        unwrap(api.GET('/api/v1/rooms', { params: { query: { shelter_id: id, limit: 200 } } })),
        unwrap(api.GET('/api/v1/beds', { params: { query: { shelter_id: id, free: true, limit: 200 } } })),
      ]);
      const roomName = new Map(rooms.items.map((r) => [r.id, r.name]));
      return beds.items.map((b) => ({ id: b.id, label: `${roomName.get(b.room_id) ?? ''} · ${b.label}` }));
    },
  });
}

export function PlacementPicker({ caseId, onPlaced }: { caseId: string; onPlaced: (p: Schemas['PlacementOut']) => void }) {
  const { t } = useTranslation();
  const [shelter, setShelter] = useState<string | null>(null);
  const [bed, setBed] = useState<string | null>(null);
  const [startOn, setStartOn] = useState(localDate());
  const [error, setError] = useState<string | null>(null);
  const shelters = useShelters();
  const beds = useFreeBeds(shelter);
  const place = useWrite(
    (body: Schemas['PlacementIn']) =>
      unwrap(api.POST('/api/v1/placements', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['placements'], ['free-beds'], ['occupancy'], ['case', caseId]],
  );
  const submit = async () => {
    setError(null);
    if (!bed) return setError(t('placement.choose_bed'));
    try {
      const placement = await place.mutateAsync({ bed_id: bed, case_id: caseId, start_on: startOn, status: 'admitted' });
      onPlaced(placement);
    } catch (err) {
      setError(isProblem(err) ? (err.body?.detail ?? err.message) : t('errors.network'));
    }
  };
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('placement.shelter')}
          data={(shelters.data?.items ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: s.name }))}
          value={shelter}
          onChange={(v) => {
            setShelter(v);
            setBed(null);
          }}
        />
        <Select
          label={t('placement.bed')}
          data={(beds.data ?? []).map((b) => ({ value: b.id, label: b.label }))}
          value={bed}
          onChange={setBed}
          disabled={!shelter}
          nothingFoundMessage={t('placement.no_free_beds')}
        />
        <TextInput type="date" label={t('placement.start_on')} value={startOn} onChange={(e) => setStartOn(e.currentTarget.value)} />
        <Button onClick={() => void submit()} loading={place.isPending}>
          {t('placement.place')}
        </Button>
      </Group>
      {shelter && beds.data?.length === 0 && <Alert color="yellow">{t('placement.no_free_beds')}</Alert>}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
