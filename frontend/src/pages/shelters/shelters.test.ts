import type { Schemas } from '../../api/client';
import { bedPatch, roomBody, roomPatch, stayActions, stayPatch, staySchema } from './boardForms';
import { newShelterSchema, NEW_SHELTER, shelterBody, shelterPatch, shelterSchema, shelterValues } from './shelterForm';

const shelter: Schemas['ShelterOut'] = {
  id: 's1',
  name: 'Maison Lumière',
  address: 'Rue de l’Exemple 1',
  capacity: 12,
  admits_genders: ['female'],
  admits_minors: false,
  min_age: 18,
  max_age: null,
  phone: null,
  email: null,
  status: 'active',
  created_at: '2026-11-28T10:00:00Z',
  updated_at: '2026-11-28T10:00:00Z',
};

describe('the shelter form', () => {
  it('needs an address, a capacity of at least one and whom it admits when a shelter is opened', () => {
    const bad = newShelterSchema.safeParse({ ...NEW_SHELTER, name: 'Iris', capacity: '0' });
    const fields = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'));
    expect(fields.sort()).toEqual(['address', 'admits_genders', 'capacity']);
  });

  it('sends numbers as numbers and blanks as null', () => {
    const d = { ...NEW_SHELTER, name: ' Iris ', address: 'Street 1', capacity: '8', admits_genders: ['female', 'male'], min_age: '', max_age: '65', phone: ' ' };
    expect(shelterBody(shelterSchema.parse(d))).toEqual({
      name: 'Iris', address: 'Street 1', capacity: 8, admits_genders: ['female', 'male'], admits_minors: false, min_age: null, max_age: 65, phone: null, email: null,
    });
  });

  it('changes only what differs, and closes a shelter by its status', () => {
    const values = shelterValues(shelter);
    expect(shelterPatch(shelter, values)).toBeNull();
    expect(shelterPatch(shelter, { ...values, capacity: '14', phone: '+32 2 123 45 67', status: 'closed' })).toEqual({ capacity: 14, phone: '+32 2 123 45 67', status: 'closed' });
    expect(shelterPatch(shelter, { ...values, min_age: '' })).toEqual({ min_age: null });
  });

  it('leaves an address the reader could not see alone unless one is typed', () => {
    const hidden = { ...shelter, address: null };
    expect(shelterPatch(hidden, shelterValues(hidden))).toBeNull();
    expect(shelterPatch(hidden, { ...shelterValues(hidden), address: 'New street 2' })).toEqual({ address: 'New street 2' });
  });
});

describe('rooms and beds', () => {
  const room: Schemas['RoomOut'] = { id: 'r1', shelter_id: 's1', name: 'Room 1', floor: '1st floor', notes: '', created_at: '', updated_at: '' };
  const bed: Schemas['BedOut'] = { id: 'b1', shelter_id: 's1', room_id: 'r1', label: '1A', status: 'available', created_at: '', updated_at: '' };

  it('creates a room with blanks as null and renames it without touching the rest', () => {
    expect(roomBody('s1', { name: ' Garden ', floor: '', notes: '' })).toEqual({ shelter_id: 's1', name: 'Garden', floor: null, notes: null });
    expect(roomPatch(room, { name: 'Room 1 (garden side)', floor: '1st floor', notes: '' })).toEqual({ name: 'Room 1 (garden side)' });
    expect(roomPatch(room, { name: 'Room 1', floor: '', notes: '' })).toEqual({ floor: null });
    expect(roomPatch(room, { name: 'Room 1', floor: '1st floor', notes: '' })).toBeNull();
  });

  it('takes a bed out of service or moves it', () => {
    expect(bedPatch(bed, { label: '1A', status: 'out_of_service', room_id: 'r1' })).toEqual({ status: 'out_of_service' });
    expect(bedPatch(bed, { label: '2B', status: 'available', room_id: 'r2' })).toEqual({ label: '2B', room_id: 'r2' });
  });
});

describe('changing a stay', () => {
  it('offers what the placement’s state allows', () => {
    expect(stayActions('reserved')).toEqual(['admit', 'cancel', 'planned_end']);
    expect(stayActions('admitted')).toEqual(['leave', 'planned_end']);
    expect(stayActions('left')).toEqual([]);
  });

  it('needs a reason and a day for a departure', () => {
    const bad = staySchema.safeParse({ action: 'leave', left_on: '', leave_reason: '', planned_end: '' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['leave_reason', 'left_on']);
  });

  it('sends the departure, or a new planned end (none for open-ended)', () => {
    expect(stayPatch({ action: 'leave', left_on: '2027-01-10', leave_reason: 'moved_to_other_accommodation', planned_end: '' })).toEqual({
      status: 'left', left_on: '2027-01-10', leave_reason: 'moved_to_other_accommodation',
    });
    expect(stayPatch({ action: 'planned_end', left_on: '', leave_reason: '', planned_end: '' })).toEqual({ planned_end: null });
    expect(stayPatch({ action: 'cancel', left_on: '', leave_reason: '', planned_end: '' })).toEqual({ status: 'cancelled' });
  });
});
