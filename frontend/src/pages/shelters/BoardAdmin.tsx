// The bed board's changes for `shelters.manage`: adding, renaming and removing rooms, and adding,
// relabelling, moving, taking out of service and removing beds.
import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useVersioned } from '../../api/versioned';
import { FormActions } from '../../components/FormActions';
import { QueryState } from '../../components/Page';
import { useZodForm } from '../../forms/useZodForm';
import { BED_STATUSES, bedPatch, bedSchema, bedValues, roomBody, roomPatch, roomSchema, roomValues, type RoomValues } from './boardForms';

/** What a change on the board refreshes. */
export const BOARD_KEYS = [['bed-board'], ['occupancy'], ['free-beds']];

function RoomFields({ form, close }: { form: ReturnType<typeof useZodForm<typeof roomSchema>>; close: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('shelter_admin.room_name')} required maxLength={100} value={form.values.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={form.error('name')} />
        <TextInput label={t('shelter_admin.floor')} maxLength={50} value={form.values.floor} onChange={(e) => form.set('floor', e.currentTarget.value)} error={form.error('floor')} />
      </SimpleGrid>
      <Textarea
        label={t('shelter_admin.room_notes')}
        description={t('shelter_admin.room_notes_hint')}
        autosize
        minRows={2}
        maxLength={2000}
        value={form.values.notes}
        onChange={(e) => form.set('notes', e.currentTarget.value)}
        error={form.error('notes')}
      />
      <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
    </Stack>
  );
}

export function NewRoom({ shelterId, close }: { shelterId: string; close: () => void }) {
  const form = useZodForm(roomSchema, roomValues());
  const add = useWrite(
    (d: RoomValues) => unwrap(api.POST('/api/v1/rooms', { body: roomBody(shelterId, d), headers: { 'Idempotency-Key': idempotencyKey() } })),
    BOARD_KEYS,
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync(d);
        close();
      })}
    >
      <RoomFields form={form} close={close} />
    </form>
  );
}

function EditRoomForm({ room, etag, close }: { room: Schemas['RoomOut']; etag: string; close: () => void }) {
  const form = useZodForm(roomSchema, roomValues(room));
  const save = useWrite(
    (body: Schemas['RoomPatchIn']) => unwrap(api.PATCH('/api/v1/rooms/{id}', { params: { path: { id: room.id }, header: { 'If-Match': etag } }, body })),
    BOARD_KEYS,
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        const body = roomPatch(room, d);
        if (body) await save.mutateAsync(body);
        close();
      })}
    >
      <RoomFields form={form} close={close} />
    </form>
  );
}

export function EditRoom({ id, close }: { id: string; close: () => void }) {
  const room = useVersioned(['room', id], () => api.GET('/api/v1/rooms/{id}', { params: { path: { id } } }));
  return <QueryState query={room}>{({ data, etag }) => <EditRoomForm room={data} etag={etag} close={close} />}</QueryState>;
}

function BedFields({ form, rooms, close }: { form: ReturnType<typeof useZodForm<typeof bedSchema>>; rooms?: Schemas['RoomOut'][]; close: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <TextInput label={t('shelter_admin.bed_label')} required maxLength={50} value={form.values.label} onChange={(e) => form.set('label', e.currentTarget.value)} error={form.error('label')} />
      <Select
        label={t('shelter_admin.bed_status')}
        data={BED_STATUSES.map((s) => ({ value: s, label: t(`shelter_admin.bed_status_${s}`) }))}
        value={form.values.status}
        onChange={(v) => form.set('status', (v ?? 'available') as (typeof BED_STATUSES)[number])}
        allowDeselect={false}
      />
      {rooms && (
        <Select
          label={t('shelter_admin.bed_room')}
          data={rooms.map((r) => ({ value: r.id, label: r.name }))}
          value={form.values.room_id}
          onChange={(v) => form.set('room_id', v ?? form.values.room_id)}
          allowDeselect={false}
          error={form.error('room_id')}
        />
      )}
      <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
    </Stack>
  );
}

export function NewBed({ roomId, close }: { roomId: string; close: () => void }) {
  const form = useZodForm(bedSchema, { label: '', status: 'available', room_id: roomId });
  const add = useWrite(
    (body: Schemas['BedIn']) => unwrap(api.POST('/api/v1/beds', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    BOARD_KEYS,
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({ room_id: roomId, label: d.label.trim(), status: d.status });
        close();
      })}
    >
      <BedFields form={form} close={close} />
    </form>
  );
}

function EditBedForm({ bed, etag, rooms, close }: { bed: Schemas['BedOut']; etag: string; rooms: Schemas['RoomOut'][]; close: () => void }) {
  const form = useZodForm(bedSchema, bedValues(bed));
  const save = useWrite(
    (body: Schemas['BedPatchIn']) => unwrap(api.PATCH('/api/v1/beds/{id}', { params: { path: { id: bed.id }, header: { 'If-Match': etag } }, body })),
    BOARD_KEYS,
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        const body = bedPatch(bed, d);
        if (body) await save.mutateAsync(body);
        close();
      })}
    >
      <BedFields form={form} rooms={rooms} close={close} />
    </form>
  );
}

export function EditBed({ id, rooms, close }: { id: string; rooms: Schemas['RoomOut'][]; close: () => void }) {
  const bed = useVersioned(['bed', id], () => api.GET('/api/v1/beds/{id}', { params: { path: { id } } }));
  return <QueryState query={bed}>{({ data, etag }) => <EditBedForm bed={data} etag={etag} rooms={rooms} close={close} />}</QueryState>;
}
