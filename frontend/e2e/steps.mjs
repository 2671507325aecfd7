// What a person does in the app, as reusable steps of the browser tests.
import { axe, PASSWORD, shot } from './harness.mjs';

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

export async function signIn(page, email, { tenant } = {}) {
  await page.goto('/');
  // The tests read English; without a choice the app would follow the organisation's language.
  await page.getByRole('combobox').first().selectOption('en');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (tenant) {
    await page.getByLabel('Organisation').click();
    await page.getByRole('option', { name: tenant }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
}

/** Picks `option` in the Mantine select labelled `label`. */
export async function choose(page, label, option) {
  await page.getByRole('combobox', { name: label }).click({ force: true });
  await page.getByRole('option', { name: option, exact: true }).first().click();
}

export async function nav(page, name) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** axe, then a screenshot, of the screen as it is now. */
export async function check(page, screen) {
  await page.waitForLoadState('networkidle');
  await page.locator('[role="status"]:has-text("Loading")').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await axe(page, screen);
  await shot(page, screen);
}

export async function navLabels(page) {
  return page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allTextContents();
}

/** Request headers of an account signed in through the API in body mode (as an integration). */
async function apiHeaders(base, email) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`cannot sign in ${email}: ${login.status}`);
  const { access_token } = await login.json();
  return { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
}

/** Case codes visible to an account. */
export async function caseCodesOf(base, email) {
  const headers = await apiHeaders(base, email);
  const page = await (await fetch(`${base}/api/v1/cases?limit=200`, { headers })).json();
  return page.items.map((c) => ({ id: c.id, code: c.case_code }));
}

/** Arranges a free bed in a demo shelter through the API (the demo fills every bed). */
export async function addFreeBed(base, shelterName) {
  const headers = await apiHeaders(base, 'tenant_admin@demo-be.example');
  const shelters = await (await fetch(`${base}/api/v1/shelters?limit=200`, { headers })).json();
  const shelter = shelters.items.find((s) => s.name === shelterName);
  const rooms = await (await fetch(`${base}/api/v1/rooms?shelter_id=${shelter.id}`, { headers })).json();
  const res = await fetch(`${base}/api/v1/beds`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ room_id: rooms.items[0].id, label: `E2E-${Date.now() % 100000}` }),
  });
  if (res.status !== 201) throw new Error(`cannot add a bed: ${res.status} ${await res.text()}`);
}

/** Adds a directory entry as demo-be's administrator: `private` (its own partners' list) or
 * `shared` (it then awaits a platform administrator's verification); returns it. */
export async function addEntry(base, entry) {
  const headers = await apiHeaders(base, 'tenant_admin@demo-be.example');
  const res = await fetch(`${base}/api/v1/directory/organisations`, { method: 'POST', headers, body: JSON.stringify({ country: 'BE', ...entry }) });
  if (res.status !== 201) throw new Error(`cannot add an entry: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Whether an account finds a directory entry by its exact name. */
export async function findsEntry(base, email, name) {
  const headers = await apiHeaders(base, email);
  const page = await (await fetch(`${base}/api/v1/directory/organisations?limit=200&q=${encodeURIComponent(name)}`, { headers })).json();
  return page.items.some((e) => e.name === name);
}

/** Invites another administrator into demo-be through the API and sets their password;
 * returns their e-mail address. */
export async function addAdmin(base) {
  const headers = await apiHeaders(base, 'tenant_admin@demo-be.example');
  const email = `admin-${Date.now() % 1000000}@demo-be.example`;
  const res = await fetch(`${base}/api/v1/users`, { method: 'POST', headers, body: JSON.stringify({ email, name: 'Second Administrator', roles: ['tenant_admin'] }) });
  if (res.status !== 201) throw new Error(`cannot invite an administrator: ${res.status} ${await res.text()}`);
  const { set_password_token: token } = await res.json();
  const set = await fetch(`${base}/api/v1/auth/set-password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: PASSWORD }) });
  if (!set.ok) throw new Error(`cannot set the password: ${set.status} ${await set.text()}`);
  return email;
}

/** Waits until `locator` matches `count` elements. */
export async function expectCount(locator, count, timeout = 10_000) {
  const until = Date.now() + timeout;
  let now = await locator.count();
  while (now !== count && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    now = await locator.count();
  }
  expect(now === count, `expected ${count} elements, found ${now}`);
}

/** Reports a serious security incident as demo-be's shelter manager through the API: it notifies
 * the organisation's administrators. */
export async function reportSeriousIncident(base) {
  const headers = await apiHeaders(base, 'shelter_manager@demo-be.example');
  const shelters = await (await fetch(`${base}/api/v1/shelters?limit=200`, { headers })).json();
  const body = {
    shelter_id: shelters.items[0].id,
    occurred_at: new Date().toISOString(),
    category: 'security',
    severity: 'high',
    description: 'A stranger tried the back door at night.',
  };
  const res = await fetch(`${base}/api/v1/incidents`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`cannot report an incident: ${res.status} ${await res.text()}`);
}

/** Onboards an organisation through the API as the platform administrator; returns its slug. */
export async function addTenant(base) {
  const headers = await apiHeaders(base, 'platform@haven.example');
  const slug = `e2e-${Date.now() % 1000000}`;
  const body = {
    name: `E2E Organisation ${slug}`,
    slug,
    country: 'BE',
    default_locale: 'nl-BE',
    time_zone: 'Europe/Brussels',
    admin: { email: `admin@${slug}.example`, name: 'E2E Administrator', password: 'a lantern over the quiet harbour' },
  };
  const res = await fetch(`${base}/api/v1/tenants`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`cannot onboard an organisation: ${res.status} ${await res.text()}`);
  return slug;
}
