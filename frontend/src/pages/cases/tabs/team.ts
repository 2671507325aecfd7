// Pure helpers of the case team section.
import type { Schemas } from '../../../api/client';

export interface TeamRow {
  id: string;
  role: Schemas['TeamRole'];
  /** The member's name when the signed-in role may read users, else null. */
  name: string | null;
  me: boolean;
}

/** The team as shown: leads first, then by name (when known); names only from `users`. */
export function teamRows(team: Schemas['TeamMemberOut'][], users: Pick<Schemas['UserOut'], 'id' | 'name'>[] | null, meId: string): TeamRow[] {
  const names = new Map((users ?? []).map((u) => [u.id, u.name]));
  return team
    .map((m) => ({ id: m.id, role: m.role, name: names.get(m.id) ?? null, me: m.id === meId }))
    .sort((a, b) => (a.role === b.role ? (a.name ?? '').localeCompare(b.name ?? '') : a.role === 'lead' ? -1 : 1));
}

/** Active users of the organisation who are not on the team yet, as picker options. */
export function candidateOptions(users: Pick<Schemas['UserOut'], 'id' | 'name' | 'status'>[], team: Schemas['TeamMemberOut'][]): { value: string; label: string }[] {
  const onTeam = new Set(team.map((m) => m.id));
  return users
    .filter((u) => u.status === 'active' && !onTeam.has(u.id))
    .map((u) => ({ value: u.id, label: u.name }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a user id as the API takes it (the fallback when users cannot be listed). */
export function isUserId(text: string): boolean {
  return UUID.test(text.trim());
}
