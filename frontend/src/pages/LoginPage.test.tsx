import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthProvider } from '../auth/AuthContext';
import { LoginPage } from './LoginPage';
import { fakeFetch, renderApp } from '../test/render';
import i18n from '../i18n';

beforeEach(async () => {
  await i18n.changeLanguage('en');
});

const tokens = { access_token: 'header.payload.sig', token_type: 'Bearer', expires_in: 900 };
const me = { kind: 'user', id: 'u1', email: 'a@b.example', name: 'A', roles: ['case_worker'], permissions: ['cases.work'], tenant: { id: 't', slug: 'demo-be', name: 'Demo', default_locale: 'en-GB', time_zone: 'Europe/Brussels' } };

// Typing key by key through the form's inputs is slow on a busy machine: a longer limit.
describe('sign-in', { timeout: 20_000 }, () => {
  it('validates the form before calling the API', async () => {
    const calls = fakeFetch([{ status: 401, body: { code: 'invalid_token' } }]);
    renderApp(<AuthProvider><LoginPage /></AuthProvider>);
    await userEvent.type(screen.getByRole('textbox', { name: /E-mail address/ }), 'not-an-address');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Not a valid e-mail address')).toBeInTheDocument();
    expect(screen.getAllByText('Required').length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.url.endsWith('/auth/login'))).toHaveLength(0);
  });

  it('asks for the organisation on tenant_required and signs in with cookie mode', async () => {
    const calls = fakeFetch([
      { status: 401, body: { code: 'invalid_token' } },
      { status: 409, body: { code: 'tenant_required', status: 409, title: 'Tenant required', detail: 'Name one.', instance: 'r', type: 'urn:haven:problem:tenant_required', tenants: ['demo-be', 'demo-ng'] } },
      { status: 200, body: tokens },
      { status: 200, body: me },
      { status: 200, body: { procedure_template: 'be', reflection_days: 30, session_lock_minutes: 5 } },
    ]);
    renderApp(<AuthProvider><LoginPage /></AuthProvider>);
    await userEvent.type(screen.getByRole('textbox', { name: /E-mail address/ }), 'a@b.example');
    await userEvent.type(screen.getByLabelText(/^Password/), 'a long passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/accounts in several organisations/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: /Organisation/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'demo-ng', hidden: true }));
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/api/v1/settings'))).toBe(true));
    const logins = calls.filter((c) => c.url.endsWith('/auth/login'));
    expect(logins).toHaveLength(2);
    expect(logins[1]?.body).toEqual({ email: 'a@b.example', password: 'a long passphrase', tenant: 'demo-ng' });
    const headers = logins[1]?.init?.headers as Record<string, string>;
    expect(headers['X-Haven-Session']).toBe('cookie');
    expect(logins[1]?.init?.credentials).toBe('same-origin');
    // Nothing of the session is left in browser storage.
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('says so when the credentials are wrong', async () => {
    fakeFetch([
      { status: 401, body: { code: 'invalid_token' } },
      { status: 401, body: { code: 'invalid_credentials', status: 401, title: 'x', detail: 'x', instance: 'r', type: 'x' } },
    ]);
    renderApp(<AuthProvider><LoginPage /></AuthProvider>);
    await userEvent.type(screen.getByRole('textbox', { name: /E-mail address/ }), 'a@b.example');
    await userEvent.type(screen.getByLabelText(/^Password/), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('The e-mail address or password is wrong.')).toBeInTheDocument();
  });
});
