// Browser tests of changing a case's records: a client's details, plan reviews, interviews, note
// versions, service entries, documents, stage history and incidents. Each test arranges a fresh
// case through the API, so it depends on no other test's data.
import { assertCleanStorage, assertNoPii, PASSWORD } from '../harness.mjs';
import { check, choose, expect, expectCount, nav, signIn } from '../steps.mjs';

const BE = (role) => `${role}@demo-be.example`;

async function apiAs(base, email) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`cannot sign in ${email}: ${login.status}`);
  const { access_token } = await login.json();
  const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...headers, 'Idempotency-Key': crypto.randomUUID() }, body: body && JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

/** A new client and case of demo-be's case worker, with a goal, a service entry, a document and
 * an interview; returns the case id and what was recorded. */
async function freshCase(base) {
  const api = await apiAs(base, BE('case_worker'));
  const me = await api.get('/api/v1/me');
  const created = await api.post('/api/v1/clients', {
    reason: 'Signalled by a partner NGO after an outreach visit.',
    details: { gender: 'female', trafficking_status: 'possible', nationality: 'BG', languages: ['bg'], identity: { legal_given_name: 'Rada', legal_family_name: 'Recordeva' } },
  });
  const caseId = created.case_id;
  await api.post(`/api/v1/cases/${caseId}/goals`, { area: 'legal', description: 'File a criminal complaint' });
  await api.post(`/api/v1/cases/${caseId}/services`, { area: 'legal', service_type: 'police_hearing_accompaniment', provided_on: new Date().toISOString().slice(0, 10), duration_minutes: 45, provider_user_id: me.id });
  await api.post(`/api/v1/cases/${caseId}/documents`, { kind: 'work_permit', status: 'requested', issuing_authority: 'Regional employment office' });
  await api.post(`/api/v1/cases/${caseId}/interviews`, {
    held_on: new Date().toISOString().slice(0, 10),
    interviewer_ids: [me.id],
    language: 'bg',
    interpreter_used: false,
    location_type: 'ngo_office',
    presumed_victim: 'unclear',
    narrative: 'Came for seasonal work that paid nothing.',
  });
  return { caseId, clientId: created.id };
}

const dialog = (page, name) => page.getByRole('dialog', { name });

/** Picks `option` in the Mantine select labelled `label` inside `scope` (a dialog over a page
 * that may have a select of the same name). */
async function chooseIn(scope, label, option) {
  await scope.getByRole('combobox', { name: label }).click({ force: true });
  await scope.page().getByRole('option', { name: option, exact: true }).first().click();
}

/** Waits until the input `locator` holds `value`. */
async function expectValue(locator, value, timeout = 10_000) {
  const until = Date.now() + timeout;
  let now = await locator.inputValue();
  while (now !== value && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    now = await locator.inputValue();
  }
  expect(now === value, `expected "${value}", found "${now}"`);
}

export default [
  [
    'records: a case worker changes a client’s details, records a plan review and changes an interview',
    async ({ page, base }) => {
      const { caseId } = await freshCase(base);
      await signIn(page, BE('case_worker'));
      await page.goto(`/cases/${caseId}`);
      await page.getByTestId('identity').getByText('Recordeva').waitFor();

      await page.getByRole('button', { name: 'Change the client’s details' }).click();
      const edit = dialog(page, 'Change the client’s details');
      await edit.getByLabel('Family name').waitFor();
      await check(page, 'records-client-edit');
      // A refused input is explained on its field, and nothing is sent.
      await edit.getByLabel('Nationality').fill('B1');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.getByText('Two letters, e.g. BE').waitFor();
      await edit.getByLabel('Nationality').fill('ro');
      await edit.getByLabel('Family name').fill('Recordova');
      await edit.getByLabel('Phone').fill('+32 470 00 00 00');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      const identity = page.getByTestId('identity');
      await identity.getByText('Recordova').waitFor();
      await identity.getByText('+32 470 00 00 00').waitFor();
      await page.getByText('RO', { exact: true }).waitFor();
      // What the form does not show stays: the given name is still there.
      await identity.getByText('Rada').waitFor();
      assertNoPii(page, await page.title(), ['Rada', 'Recordova']);

      await page.getByRole('tab', { name: 'Support plan' }).click();
      await page.getByRole('button', { name: 'Record a review' }).click();
      await choose(page, 'Status from now on: File a criminal complaint', 'In progress');
      await page.getByLabel('Comment: File a criminal complaint').fill('The lawyer has the file; the complaint goes in next week.');
      await check(page, 'records-review-form');
      await page.getByRole('form', { name: 'Record a review' }).getByRole('button', { name: 'Save' }).click();
      const reviews = page.getByRole('region', { name: 'Plan reviews' });
      await reviews.getByRole('cell', { name: '1', exact: true }).waitFor();
      // The goal took the status the review gave it.
      await expectValue(page.getByRole('region', { name: 'Goals' }).getByRole('combobox', { name: /^Status of the goal/ }), 'In progress');
      await reviews.getByRole('button', { name: /^Open the review of/ }).click();
      const review = page.getByRole('dialog', { name: /^Review of/ });
      await review.getByText('The lawyer has the file; the complaint goes in next week.').waitFor();
      await check(page, 'records-review');
      await review.getByRole('button', { name: 'Close' }).click();

      await page.getByRole('tab', { name: 'Interviews' }).click();
      await page.getByRole('button', { name: /^Open the interview of/ }).click();
      const interview = page.getByRole('dialog', { name: /^Interview of/ });
      await interview.getByText('Came for seasonal work that paid nothing.').waitFor();
      await check(page, 'records-interview');
      await interview.getByRole('button', { name: 'Change this interview' }).click();
      await chooseIn(interview, 'Presumed victim?', 'Yes');
      await interview.getByLabel('An interpreter was present').check();
      await interview.getByLabel('Interpreter’s language').fill('bg');
      // One indicator answered, and a risk assessed with a note.
      await interview.getByRole('radiogroup').first().getByRole('radio', { name: 'Yes' }).check();
      await interview.getByRole('button', { name: 'Assess a risk' }).click();
      const risk = interview.getByRole('group', { name: 'Risk 1' });
      await chooseIn(risk, 'Level', 'high');
      await risk.getByLabel('Note').fill('A recruiter called her sister twice.');
      await check(page, 'records-interview-edit');
      await interview.getByRole('button', { name: 'Save' }).click();
      // Back in the interview as read again: the change shows.
      await interview.getByRole('button', { name: 'Change this interview' }).waitFor();
      await interview.locator('dd').getByText('Yes', { exact: true }).waitFor();
      await interview.locator('dd').getByText('Traffickers: high — A recruiter called her sister twice.').waitFor();
      const answered = interview.locator('dt', { hasText: 'Indicators answered' }).locator('xpath=following-sibling::dd');
      expect((await answered.textContent()) === '1', 'one indicator answered');
      await interview.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('region', { name: 'Interviews' }).getByRole('cell', { name: 'Yes', exact: true }).waitFor();

      await page.getByRole('tab', { name: 'Timeline' }).click();
      const history = page.getByRole('region', { name: 'Stage history' });
      await history.getByRole('cell', { name: 'Case opened' }).waitFor();
      await history.getByRole('cell', { name: 'Signalled', exact: true }).waitFor();
      await check(page, 'records-stage-history');
      await assertCleanStorage(page);
    },
  ],
  [
    'records: a case worker corrects a note and sees both versions, and changes a service entry and a document',
    async ({ page, base }) => {
      const { caseId } = await freshCase(base);
      await signIn(page, BE('case_worker'));
      await page.goto(`/cases/${caseId}/notes`);
      await page.getByRole('button', { name: 'Write a note' }).click();
      await page.getByRole('textbox', { name: 'Note', exact: true }).fill('Met her at the shelter on Monday.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('cell', { name: 'Met her at the shelter on Monday.' }).waitFor();
      await page.getByRole('button', { name: /^Versions of the note of/ }).click();
      const versions = dialog(page, 'Versions of a note');
      await versions.getByLabel('Corrected text').fill('Met her at the shelter on Tuesday.');
      await check(page, 'records-note-versions');
      await versions.getByRole('button', { name: 'Save' }).click();
      await expectCount(versions.getByTestId('note-version'), 2);
      await versions.getByText('Version 1').waitFor();
      await versions.getByText('Version 2').waitFor();
      await versions.getByText('Met her at the shelter on Monday.').waitFor();
      await versions.getByText('Met her at the shelter on Tuesday.').first().waitFor();
      await versions.getByRole('button', { name: 'Close' }).click();
      // The list shows the latest version.
      await page.getByRole('cell', { name: 'Met her at the shelter on Tuesday.' }).waitFor();
      await page.getByRole('cell', { name: '2', exact: true }).waitFor();

      await page.getByRole('tab', { name: 'Services' }).click();
      await page.getByRole('button', { name: /^Change the service/ }).click();
      const service = dialog(page, 'Change a service entry');
      await service.getByLabel('Minutes').waitFor();
      await check(page, 'records-service-edit');
      // The API refuses what the form lets through: a day in the future.
      const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      await service.getByLabel('Date').fill(future);
      await service.getByRole('button', { name: 'Save' }).click();
      await service.getByText('must not be in the future').waitFor();
      await service.getByLabel('Date').fill(new Date().toISOString().slice(0, 10));
      await service.getByLabel('Minutes').fill('95');
      await service.getByLabel('Note', { exact: true }).fill('The hearing took longer than planned.');
      await service.getByRole('button', { name: 'Save' }).click();
      await service.waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: '95', exact: true }).waitFor();

      await page.getByRole('tab', { name: 'Documents' }).click();
      await page.getByRole('button', { name: 'Change the document: Work permit' }).click();
      const doc = dialog(page, 'Change a document');
      await doc.getByLabel('Document number').waitFor();
      await check(page, 'records-document-edit');
      await chooseIn(doc, 'Status', 'Granted');
      await doc.getByLabel('Expires').fill('2027-09-30');
      await doc.getByLabel('Document number').fill('WP 778899');
      await doc.getByRole('button', { name: 'Save' }).click();
      await doc.waitFor({ state: 'detached' });
      const row = page.getByRole('row').filter({ hasText: 'Work permit' });
      await row.getByRole('cell', { name: 'Granted' }).waitFor();
      await row.getByText('2027').waitFor();
      // The number is kept sealed: read again, it is there.
      await page.getByRole('button', { name: 'Change the document: Work permit' }).click();
      await expectValue(doc.getByLabel('Document number'), 'WP 778899');
      await doc.getByRole('button', { name: 'Close' }).click();
    },
  ],
  [
    'records: shelter staff change an incident but are never offered the identity edit',
    async ({ page, base }) => {
      const { caseId } = await freshCase(base);
      const staff = await apiAs(base, BE('shelter_staff'));
      const shelters = await staff.get('/api/v1/shelters?limit=200');
      await staff.post('/api/v1/incidents', {
        shelter_id: shelters.items[0].id,
        occurred_at: new Date(Date.now() - 60_000).toISOString(),
        category: 'house_rule_breach',
        severity: 'low',
        description: 'Music late at night in the common room.',
      });
      await signIn(page, BE('shelter_staff'));
      // No case screen, so no client record and no way to change one.
      await page.goto(`/cases/${caseId}`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      expect((await page.getByRole('button', { name: 'Change the client’s details' }).count()) === 0, 'no identity edit for shelter staff');
      expect(!(await page.locator('body').innerText()).includes('Recordeva'), 'no client name for shelter staff');

      await page.goto('/');
      await nav(page, 'Incidents');
      const row = page.getByRole('row').filter({ hasText: 'House rule breach' }).first();
      await row.getByRole('button', { name: /^Change the incident/ }).click();
      const edit = dialog(page, 'Change an incident');
      await expectValue(edit.getByRole('textbox', { name: 'Description', exact: true }), 'Music late at night in the common room.');
      await check(page, 'records-incident-edit');
      // An account cannot be emptied: the API says so on the field.
      await edit.getByRole('textbox', { name: 'Description', exact: true }).fill('');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.getByText('must be 1 to 10000 characters').waitFor();
      await edit.getByRole('textbox', { name: 'Description', exact: true }).fill('Music late at night in the common room; two residents argued.');
      await chooseIn(edit, 'Follow-up', 'In progress');
      await chooseIn(edit, 'Severity', 'Medium');
      await edit.getByLabel('Actions taken').fill('Talked with both residents the next morning.');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      const changed = page.getByRole('row').filter({ hasText: 'House rule breach' }).filter({ hasText: 'In progress' });
      await changed.getByRole('cell', { name: 'Medium' }).waitFor();
      await changed.getByRole('button', { name: /^Change the incident/ }).click();
      await expectValue(edit.getByLabel('Actions taken'), 'Talked with both residents the next morning.');
      await edit.getByRole('button', { name: 'Close' }).click();
    },
  ],
  [
    'records: a case worker closes a case and opens a new one for the same client',
    async ({ page, base }) => {
      const { caseId } = await freshCase(base);
      await signIn(page, BE('case_worker'));
      await page.goto(`/cases/${caseId}`);
      await choose(page, 'Move to stage', 'Closed');
      await choose(page, 'Why the case closes', 'Contact lost');
      await page.getByRole('button', { name: 'Change stage' }).click();
      await page.getByText('This case is closed').waitFor();
      await page.getByText('Contact lost').waitFor();
      await page.getByRole('button', { name: 'Open a new case' }).click();
      const open = dialog(page, 'Open a new case');
      await open.getByLabel('Why the client comes back').fill('Came back after losing her job.');
      await check(page, 'records-new-case');
      await open.getByRole('button', { name: 'Save' }).click();
      // A new episode of the same client: another case id, the same pseudonymous code and record.
      await page.waitForURL((url) => /\/cases\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.includes(caseId));
      await page.getByText('Signalled', { exact: true }).first().waitFor();
      await page.getByTestId('identity').getByText('Recordeva').waitFor();
      expect((await page.getByText('This case is closed').count()) === 0, 'the new case is open');
      // The closed case now leads to the client's open one instead of offering another.
      await page.goto(`/cases/${caseId}`);
      await page.getByRole('link', { name: /^Go to the client’s open case/ }).click();
      await page.getByTestId('identity').getByText('Recordeva').waitFor();
      expect(!page.url().includes(caseId), 'the link leads to the new case');
    },
  ],
];
