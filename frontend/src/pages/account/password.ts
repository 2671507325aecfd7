// How the API's answers to a password change land on the form's fields.
import type { FieldErrors } from '../../forms/useZodForm';

/** The password policy's messages the API is known to send, as catalogue keys. */
const POLICY: Array<[RegExp, string]> = [
  [/^must be at least/, 'account.policy_too_short'],
  [/^must be at most/, 'account.policy_too_long'],
  [/^is too long/, 'account.policy_too_long'],
  [/^is too easy to guess/, 'account.policy_too_weak'],
];

/** The policy problems of a 422 (the API names the new password `password` or `new_password`)
 * on the form's `new_password` field, translated when known; other fields keep their name. */
export function policyErrors(fields: Record<string, string>): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(fields)) {
    const name = field === 'password' ? 'new_password' : field;
    if (name in out) continue;
    const known = POLICY.find(([pattern]) => pattern.test(message));
    out[name] = known ? known[1] : message;
  }
  return out;
}
