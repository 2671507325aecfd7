// Who is signed in, and the session's life: silent refresh on start, sign-in, sign-out,
// expiry, and the lock after the organisation's inactivity period.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setExpiredHandler, unwrap, type Schemas } from '../api/client';
import * as session from './session';
import { setLanguage, supported, chosenLanguage } from '../i18n';
import { useIdleLock } from './useIdleLock';

export type Me = Schemas['MeOut'];

type State =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: 'expired' | 'signed_out' }
  | { status: 'ready'; me: Me; lockMinutes: number }
  | { status: 'locked'; who: { email: string; name: string; tenant: string | null } };

interface AuthApi {
  state: State;
  login: (email: string, password: string, tenant?: string) => Promise<void>;
  logout: () => Promise<void>;
  lock: () => Promise<void>;
  can: (permission: string) => boolean;
}

const AuthContext = createContext<AuthApi | null>(null);

/** Minutes of inactivity before the screen locks when the organisation sets nothing. */
export const DEFAULT_LOCK_MINUTES = 15;

async function loadPrincipal(): Promise<{ me: Me; lockMinutes: number }> {
  const me = await unwrap(api.GET('/api/v1/me'));
  let lockMinutes = DEFAULT_LOCK_MINUTES;
  if (me.tenant) {
    const settings = await unwrap(api.GET('/api/v1/settings')).catch(() => null);
    if (settings?.session_lock_minutes) lockMinutes = settings.session_lock_minutes;
  }
  return { me, lockMinutes };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const queryClient = useQueryClient();
  const stateRef = useRef(state);
  stateRef.current = state;

  const enter = useCallback(async () => {
    const { me, lockMinutes } = await loadPrincipal();
    if (!chosenLanguage()) {
      const lang = supported(me.tenant?.default_locale);
      if (lang) await setLanguage(lang, false);
    }
    setState({ status: 'ready', me, lockMinutes });
  }, []);

  const expire = useCallback(() => {
    session.forget();
    queryClient.clear();
    setState({ status: 'anonymous', reason: 'expired' });
  }, [queryClient]);

  useEffect(() => {
    setExpiredHandler(expire);
    const off = session.onSession((event) => {
      if (event === 'expired' && stateRef.current.status === 'ready') expire();
    });
    let alive = true;
    void session.refresh().then(async (ok) => {
      if (!alive) return;
      if (!ok) return setState({ status: 'anonymous' });
      await enter().catch(() => setState({ status: 'anonymous' }));
    });
    return () => {
      alive = false;
      off();
    };
  }, [enter, expire]);

  const login = useCallback(
    async (email: string, password: string, tenant?: string) => {
      await session.login(email, password, tenant);
      queryClient.clear();
      await enter();
    },
    [enter, queryClient],
  );

  const logout = useCallback(async () => {
    await session.logout();
    queryClient.clear();
    setState({ status: 'anonymous', reason: 'signed_out' });
  }, [queryClient]);

  const lock = useCallback(async () => {
    const current = stateRef.current;
    if (current.status !== 'ready') return;
    const who = { email: current.me.email, name: current.me.name, tenant: current.me.tenant?.slug ?? null };
    // A locked screen holds no session at all: it is ended, and everything fetched is dropped.
    await session.logout();
    queryClient.clear();
    setState({ status: 'locked', who });
  }, [queryClient]);

  useIdleLock(state.status === 'ready' ? state.lockMinutes : null, lock);

  const value = useMemo<AuthApi>(
    () => ({
      state,
      login,
      logout,
      lock,
      can: (permission: string) => state.status === 'ready' && state.me.permissions.includes(permission),
    }),
    [state, login, logout, lock],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in principal (only inside the signed-in part of the app). */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'ready') throw new Error('useMe without a session');
  return state.me;
}
