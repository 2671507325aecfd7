// The typed API client (generated types from openapi/openapi.json, see `npm run gen:api`).
// Every request carries the in-memory access token and the user's language (the API writes its
// problem messages in it); a 401 triggers one silent refresh through the cookie and one retry.
import createClient from 'openapi-fetch';
import i18n from 'i18next';
import type { components, paths } from './schema';
import { ApiProblem, type ProblemBody } from './problem';
import { refresh, token } from '../auth/session';

export type Schemas = components['schemas'];

let onExpired: () => void = () => {};
/** Called when a request finds the session gone (refresh refused). */
export function setExpiredHandler(handler: () => void) {
  onExpired = handler;
}

function withToken(req: Request): Request {
  const t = token();
  if (t) req.headers.set('authorization', `Bearer ${t}`);
  if (i18n.language) req.headers.set('accept-language', i18n.language);
  return req;
}

async function authedFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const res = await fetch(withToken(input));
  if (res.status !== 401 || new URL(input.url).pathname.startsWith('/api/v1/auth/')) return res;
  if (await refresh()) return fetch(withToken(retry));
  onExpired();
  return res;
}

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  fetch: authedFetch,
});

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful call, or an {@link ApiProblem}. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiProblem(response.status, (error as ProblemBody | undefined) ?? null);
  return data as T;
}

/** The data of a successful call with its `ETag`, to send back as `If-Match` with a change. */
export async function unwrapVersioned<T>(call: Promise<Result<T>>): Promise<{ data: T; etag: string }> {
  const result = await call;
  const data = await unwrap(Promise.resolve(result));
  const etag = result.response.headers.get('etag');
  if (!etag) throw new Error('the API sent no ETag');
  return { data, etag };
}
