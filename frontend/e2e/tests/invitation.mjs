// Browser test of an invited person's first sign-in: the administrator's one-time code and a
// password of their own, set from the sign-in screen.
import { assertCleanStorage, PASSWORD } from '../harness.mjs';
import { check, expect, signIn } from '../steps.mjs';

/** Invites a case worker into demo-be through the API; returns their address and code. */
async function invite(base) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'tenant_admin@demo-be.example', password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`cannot sign in the administrator: ${login.status}`);
  const { access_token } = await login.json();
  const email = `invited-${Date.now() % 1000000}@demo-be.example`;
  const res = await fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Invited Case Worker', roles: ['case_worker'] }),
  });
  if (res.status !== 201) throw new Error(`cannot invite: ${res.status} ${await res.text()}`);
  const { set_password_token: token } = await res.json();
  return { email, token };
}

export default [
  [
    'an invited case worker sets a password with the invitation code and signs in',
    async ({ page, base }) => {
      const { email, token } = await invite(base);
      await page.goto('/');
      await page.getByRole('combobox').first().selectOption('en');
      await page.getByRole('button', { name: 'I have an invitation' }).click();
      const form = page.getByRole('form', { name: 'Set your password' });
      await check(page, 'invitation');

      // A code that is not the one given is refused, and says what to do.
      const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      await form.getByLabel('Invitation code').fill(forged);
      await form.getByLabel('New password').fill(PASSWORD);
      await form.getByRole('button', { name: 'Set my password' }).click();
      await form.getByText('This invitation code is not valid').waitFor();
      // A password the policy refuses is refused on its field.
      await form.getByLabel('Invitation code').fill(token);
      await form.getByLabel('New password').fill('short');
      await form.getByRole('button', { name: 'Set my password' }).click();
      await form.getByText('Too short: use at least 12 characters.').waitFor();
      await check(page, 'invitation-refused');

      await form.getByLabel('New password').fill(PASSWORD);
      await form.getByRole('button', { name: 'Set my password' }).click();
      await page.getByText('Your password is set.').waitFor();
      expect(!page.url().includes('hvi_'), `no code in the URL: ${page.url()}`);
      await assertCleanStorage(page);

      // The code works once: the account now signs in with its own password.
      await signIn(page, email);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    },
  ],
];
