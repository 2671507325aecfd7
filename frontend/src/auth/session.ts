// The signed-in session. The access token lives in this module's memory only; the refresh
// token lives in an HttpOnly cookie the API sets (cookie mode), so nothing that identifies the
// session is ever readable by script or kept in browser storage.
import { ApiProblem, type ProblemBody } from '../api/problem';

const MODE_HEADER = { 'X-Haven-Session': 'cookie' } as const;
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

type Listener = (event: 'expired' | 'changed') => void;

let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let inFlight: Promise<boolean> | null = null;
const listeners = new Set<Listener>();

function emit(event: 'expired' | 'changed') {
  for (const l of listeners) l(event);
}

export function onSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function token(): string | null {
  return accessToken;
}

function origin(): string {
  return globalThis.location?.origin ?? '';
}

async function problemOf(res: Response): Promise<ApiProblem> {
  let body: ProblemBody | null = null;
  try {
    body = (await res.json()) as ProblemBody;
  } catch {
    body = null;
  }
  return new ApiProblem(res.status, body);
}

function accept(body: { access_token: string; expires_in: number }) {
  accessToken = body.access_token;
  if (refreshTimer) clearTimeout(refreshTimer);
  const delay = Math.max(5_000, body.expires_in * 1000 - REFRESH_MARGIN_MS);
  refreshTimer = setTimeout(() => {
    void refresh().then((ok) => {
      if (!ok) emit('expired');
    });
  }, delay);
  emit('changed');
}

export function forget() {
  accessToken = null;
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
}

/** Signs in; throws an {@link ApiProblem} (e.g. `tenant_required` with `tenants`). */
export async function login(email: string, password: string, tenant?: string): Promise<void> {
  const res = await fetch(`${origin()}/api/v1/auth/login`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...MODE_HEADER },
    body: JSON.stringify(tenant ? { email, password, tenant } : { email, password }),
  });
  if (!res.ok) throw await problemOf(res);
  accept((await res.json()) as { access_token: string; expires_in: number });
}

/** Trades the refresh cookie for a new access token; false when there is no live session. */
export function refresh(): Promise<boolean> {
  inFlight ??= (async () => {
    try {
      const res = await fetch(`${origin()}/api/v1/auth/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...MODE_HEADER },
        body: '{}',
      });
      if (!res.ok) {
        forget();
        return false;
      }
      accept((await res.json()) as { access_token: string; expires_in: number });
      return true;
    } catch {
      return false;
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

/** Ends the session on the server (revoking it and clearing the cookie) and forgets it here. */
export async function logout(): Promise<void> {
  const send = () =>
    fetch(`${origin()}/api/v1/auth/logout`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...MODE_HEADER, ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    });
  try {
    let res = await send();
    if (res.status === 401 && (await refresh())) res = await send();
  } catch {
    // Offline: the token is forgotten below all the same, and the session expires by itself.
  } finally {
    forget();
  }
}
