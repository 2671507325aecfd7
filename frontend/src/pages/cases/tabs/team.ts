// Pure helpers of the case team section.
import type { Schemas } from '../../../api/client';

export interface TeamRow {
  id: string;
  role: Schemas['TeamRole'];
  /** The member's name when the colleagues list is known, else null. */
  name: string | null;
  me: boolean;
}

/** The team as shown: leads first, then by name (when known); names from `colleagues`. */
export function teamRows(team: Schemas['TeamMemberOut'][], colleagues: Schemas['ColleagueOut'][] | null, meId: string): TeamRow[] {
  const names = new Map((colleagues ?? []).map((u) => [u.id, u.name]));
  return team
    .map((m) => ({ id: m.id, role: m.role, name: names.get(m.id) ?? null, me: m.id === meId }))
    .sort((a, b) => (a.role === b.role ? (a.name ?? '').localeCompare(b.name ?? '') : a.role === 'lead' ? -1 : 1));
}

/** Colleagues (active accounts) not among `taken` yet (a case team, a shelter's staff), as
 * picker options by name. */
export function candidateOptions<T extends { id: string }>(colleagues: Schemas['ColleagueOut'][], taken: T[]): { value: string; label: string }[] {
  const excluded = new Set(taken.map((m) => m.id));
  return colleagues
    .filter((u) => !excluded.has(u.id))
    .map((u) => ({ value: u.id, label: u.name }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
