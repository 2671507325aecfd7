// What the bed board's forms send: rooms, beds and changes of a stay.
import { z } from 'zod';
import type { Schemas } from '../../api/client';

export const roomSchema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(100, 'validation.too_long'),
  floor: z.string().trim().max(50, 'validation.too_long'),
  notes: z.string().trim().max(2000, 'validation.too_long'),
});
export type RoomValues = z.input<typeof roomSchema>;

export function roomValues(r?: Schemas['RoomOut']): RoomValues {
  return { name: r?.name ?? '', floor: r?.floor ?? '', notes: r?.notes ?? '' };
}

export function roomBody(shelterId: string, d: RoomValues): Schemas['RoomIn'] {
  return { shelter_id: shelterId, name: d.name.trim(), floor: d.floor.trim() || null, notes: d.notes.trim() || null };
}

/** Only what changed; a cleared floor is `null`, cleared notes are empty. */
export function roomPatch(r: Schemas['RoomOut'], d: RoomValues): Schemas['RoomPatchIn'] | null {
  const out: Schemas['RoomPatchIn'] = {};
  if (d.name.trim() !== r.name) out.name = d.name.trim();
  if ((d.floor.trim() || null) !== (r.floor ?? null)) out.floor = d.floor.trim() || null;
  if (d.notes.trim() !== (r.notes ?? '')) out.notes = d.notes.trim();
  return Object.keys(out).length ? out : null;
}

export const BED_STATUSES = ['available', 'out_of_service'] as const;

export const bedSchema = z.object({
  label: z.string().trim().min(1, 'validation.required').max(50, 'validation.too_long'),
  status: z.enum(BED_STATUSES),
  room_id: z.string().min(1, 'validation.required'),
});
export type BedValues = z.input<typeof bedSchema>;

export function bedValues(b: Schemas['BedOut']): BedValues {
  return { label: b.label, status: b.status === 'out_of_service' ? 'out_of_service' : 'available', room_id: b.room_id };
}

export function bedPatch(b: Schemas['BedOut'], d: BedValues): Schemas['BedPatchIn'] | null {
  const out: Schemas['BedPatchIn'] = {};
  if (d.label.trim() !== b.label) out.label = d.label.trim();
  if (d.status !== b.status) out.status = d.status;
  if (d.room_id !== b.room_id) out.room_id = d.room_id;
  return Object.keys(out).length ? out : null;
}

/** What may happen to a stay in its state: a reservation is admitted or cancelled, an
 * admitted client leaves; either may get another planned end. */
export type StayAction = 'admit' | 'cancel' | 'leave' | 'planned_end';

export function stayActions(status: Schemas['PlacementStatus']): StayAction[] {
  if (status === 'reserved') return ['admit', 'cancel', 'planned_end'];
  if (status === 'admitted') return ['leave', 'planned_end'];
  return [];
}

export const staySchema = z
  .object({
    action: z.enum(['admit', 'cancel', 'leave', 'planned_end']),
    left_on: z.string(),
    leave_reason: z.string(),
    planned_end: z.string(),
  })
  .superRefine((d, ctx) => {
    if (d.action === 'leave' && !d.leave_reason) ctx.addIssue({ code: 'custom', path: ['leave_reason'], message: 'validation.required' });
    if (d.action === 'leave' && !/^\d{4}-\d{2}-\d{2}$/.test(d.left_on)) ctx.addIssue({ code: 'custom', path: ['left_on'], message: 'validation.required' });
  });
export type StayValues = z.input<typeof staySchema>;

export function stayPatch(d: StayValues): Schemas['PlacementPatchIn'] {
  switch (d.action) {
    case 'admit':
      return { status: 'admitted' };
    case 'cancel':
      return { status: 'cancelled' };
    case 'leave':
      return { status: 'left', left_on: d.left_on, leave_reason: d.leave_reason as Schemas['LeaveReason'] };
    case 'planned_end':
      return { planned_end: d.planned_end || null };
  }
}
