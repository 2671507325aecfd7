// What a change of a user sends, and how its refusals read.
import type { Schemas } from '../../api/client';

export interface UserEdit {
  roles: string[];
  status: string;
}

/** Only what changed (the API takes a partial change); `null` when nothing did. Roles are
 * compared as sets, and an invited user's status is left to their accepting the invitation. */
export function userPatch(user: Pick<Schemas['UserOut'], 'roles' | 'status'>, edit: UserEdit): Schemas['UserPatchIn'] | null {
  const out: Schemas['UserPatchIn'] = {};
  const before = [...user.roles].sort();
  const after = [...new Set(edit.roles)].sort();
  if (JSON.stringify(before) !== JSON.stringify(after)) out.roles = after;
  if (edit.status !== user.status && (edit.status === 'active' || edit.status === 'deactivated')) out.status = edit.status;
  return Object.keys(out).length ? out : null;
}

/** The catalogue key of a refused change, by HTTP status; `null` for the generic handling. */
export function userProblemKey(status: number): string | null {
  if (status === 409) return 'account.user_lockout';
  if (status === 412) return 'account.user_changed';
  return null;
}
