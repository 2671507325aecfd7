// What the shelter form sends: the whole shelter when it is created, only what changed when it
// is changed.
import { z } from 'zod';
import type { Schemas } from '../../api/client';

const count = (max: number) => z.string().trim().regex(/^\d{1,5}$/, 'shelter_admin.whole_number').refine((s) => Number(s) <= max, 'shelter_admin.whole_number');
const optionalAge = z.union([z.literal(''), count(120)]);

export const shelterSchema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  address: z.string().trim().max(500, 'validation.too_long'),
  capacity: count(10000).refine((s) => Number(s) >= 1, 'shelter_admin.whole_number'),
  admits_genders: z.array(z.string()).min(1, 'validation.required'),
  admits_minors: z.boolean(),
  min_age: optionalAge,
  max_age: optionalAge,
  phone: z.string().trim().max(40, 'validation.too_long'),
  email: z.union([z.literal(''), z.string().trim().email('validation.email')]),
  status: z.enum(['active', 'closed']),
});

/** A new shelter needs its address (it is sealed before it is stored). */
export const newShelterSchema = shelterSchema.extend({
  address: z.string().trim().min(1, 'validation.required').max(500, 'validation.too_long'),
});

export type ShelterValues = z.input<typeof shelterSchema>;

export const NEW_SHELTER: ShelterValues = {
  name: '',
  address: '',
  capacity: '',
  admits_genders: [],
  admits_minors: false,
  min_age: '',
  max_age: '',
  phone: '',
  email: '',
  status: 'active',
};

/** The form's values of an existing shelter (its address only when the reader may see it). */
export function shelterValues(s: Schemas['ShelterOut']): ShelterValues {
  return {
    name: s.name,
    address: s.address ?? '',
    capacity: String(s.capacity),
    admits_genders: s.admits_genders,
    admits_minors: s.admits_minors,
    min_age: s.min_age == null ? '' : String(s.min_age),
    max_age: s.max_age == null ? '' : String(s.max_age),
    phone: s.phone ?? '',
    email: s.email ?? '',
    status: s.status === 'closed' ? 'closed' : 'active',
  };
}

const blank = (s: string) => (s.trim() ? s.trim() : null);
const age = (s: string) => (s.trim() ? Number(s) : null);

export function shelterBody(d: ShelterValues): Schemas['ShelterIn'] {
  return {
    name: d.name.trim(),
    address: d.address.trim(),
    capacity: Number(d.capacity),
    admits_genders: d.admits_genders,
    admits_minors: d.admits_minors,
    min_age: age(d.min_age),
    max_age: age(d.max_age),
    phone: blank(d.phone),
    email: blank(d.email),
  };
}

/** Only the fields that differ from `current`; `null` when nothing does. An address the reader
 * could not see is sent only when one was typed. */
export function shelterPatch(current: Schemas['ShelterOut'], d: ShelterValues): Schemas['ShelterPatchIn'] | null {
  const next = { ...shelterBody(d), status: d.status };
  const before = { ...shelterBody(shelterValues(current)), status: current.status };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof typeof next)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(before[key])) out[key] = next[key];
  }
  if (current.address == null && !d.address.trim()) delete out.address;
  return Object.keys(out).length ? (out as Schemas['ShelterPatchIn']) : null;
}
