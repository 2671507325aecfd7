import { api, setExpiredHandler, unwrap } from './client';
import { forget, login } from '../auth/session';
import { ApiProblem } from './problem';
import { fakeFetch } from '../test/render';
import i18n from 'i18next';

const tokens = (access: string) => ({ status: 200, body: { access_token: access, token_type: 'Bearer', expires_in: 900 } });
const me = { status: 200, body: { kind: 'user', id: 'u', email: 'e', name: 'n', roles: [], permissions: [] } };
const unauthorised = { status: 401, body: { code: 'token_expired', status: 401, title: 't', detail: 'd', instance: 'i', type: 'x' } };


describe('the API client', () => {
  afterEach(() => forget());

  it('sends the in-memory access token, and after a 401 refreshes once through the cookie and retries', async () => {
    const seen: Array<string | null> = [];
    const answers = [tokens('first'), unauthorised, tokens('second'), me];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = input instanceof Request ? input : new Request(String(input), init);
        seen.push(`${new URL(req.url).pathname} ${req.headers.get('authorization') ?? '-'} ${req.headers.get('x-haven-session') ?? '-'}`);
        const next = answers.shift() ?? { status: 500, body: {} };
        return new Response(JSON.stringify(next.body), { status: next.status, headers: { 'content-type': 'application/json' } });
      }),
    );
    await login('e@x.example', 'pw');
    const out = await unwrap(api.GET('/api/v1/me'));
    expect(out.id).toBe('u');
    expect(seen).toEqual([
      '/api/v1/auth/login - cookie',
      '/api/v1/me Bearer first -',
      '/api/v1/auth/refresh - cookie',
      '/api/v1/me Bearer second -',
    ]);
  });

  it("sends the user's language, so the API's messages come back in it", async () => {
    const languages: Array<string | null> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = input instanceof Request ? input : new Request(String(input), init);
        languages.push(req.headers.get('accept-language'));
        return new Response(JSON.stringify(me.body), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    await i18n.changeLanguage('nl');
    await unwrap(api.GET('/api/v1/me'));
    await i18n.changeLanguage('fr');
    await unwrap(api.GET('/api/v1/me'));
    await i18n.changeLanguage('en');
    expect(languages).toEqual(['nl', 'fr']);
  });

  it('reports an ended session when the refresh is refused', async () => {
    fakeFetch([unauthorised, unauthorised]);
    const expired = vi.fn();
    setExpiredHandler(expired);
    await expect(unwrap(api.GET('/api/v1/me'))).rejects.toBeInstanceOf(ApiProblem);
    expect(expired).toHaveBeenCalledOnce();
  });
});

