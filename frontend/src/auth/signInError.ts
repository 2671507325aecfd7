import type { TFunction } from 'i18next';
import { isProblem } from '../api/problem';

/** The message for a refused sign-in, or null when the error is not one (it is rethrown). */
export function signInError(err: unknown, t: TFunction): string | null {
  if (!isProblem(err)) return null;
  if (err.status === 401) return t(err.code === 'account_inactive' ? 'auth.inactive' : 'auth.bad_credentials');
  if (err.status === 429) return t('auth.too_many');
  return null;
}
