// Browser tests of the legal side of a case, tasks and the agenda, and the trainer's course,
// version and session changes.
import { PASSWORD } from '../harness.mjs';
import { caseCodesOf, check, choose, expect, nav, reportSeriousIncident, signIn } from '../steps.mjs';

const BE = (role) => `${role}@demo-be.example`;

/** Picks `option` (a string, exact, or a RegExp) in the select labelled `label` inside `scope`. */
async function chooseIn(page, scope, label, option) {
  await scope.getByRole('combobox', { name: label }).click({ force: true });
  await page.getByRole('option', typeof option === 'string' ? { name: option, exact: true } : { name: option }).first().click();
}

/** A `datetime-local` value `days` from now at `hh:mm`, and the same as a Date. */
function localAt(days, hh, mm) {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setHours(hh, mm, 0, 0);
  const pad = (n) => String(n).padStart(2, '0');
  return { input: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hh)}:${pad(mm)}`, date: d };
}

/** Fills the course form `form` with a first version of one module. */
async function fillCourse(page, form, c) {
  await form.getByRole('textbox', { name: 'Title', exact: true }).fill(c.title);
  await form.getByLabel('Summary').fill(c.summary);
  await chooseIn(page, form, 'Audience', c.audience);
  await page.keyboard.press('Escape');
  await form.getByLabel('Languages').fill(c.languages);
  await form.getByLabel('Objectives').fill(c.objectives);
  await form.getByLabel('Module title').fill(c.module);
  await form.getByLabel('Content').fill(c.content);
}

/** An account's API headers, signed in as an integration would. */
async function headersOf(base, email) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  return { authorization: `Bearer ${(await login.json()).access_token}` };
}

const dateOf = (iso) => new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso));

async function openCase(page, base, code, tab) {
  const cases = await caseCodesOf(base, BE('case_worker'));
  const target = cases.find((c) => c.code === code);
  expect(target, `case ${code} is visible to the case worker`);
  await page.goto(`/cases/${target.id}/${tab}`);
  await page.getByTestId('case-code').waitFor();
  return target;
}

export default [
  [
    'legal: a case worker adds a hearing to a proceeding and changes it, records a procedure step, changes a deadline and sets one',
    async ({ page, base }) => {
      await signIn(page, BE('case_worker'));
      await openCase(page, base, 'BE-2026-0020', 'legal');
      const court = `E2E Labour Court ${Date.now() % 100000}`;

      // A proceeding, then changed: its status moves on.
      await page.getByRole('button', { name: 'Add a proceeding' }).click();
      await choose(page, 'Proceeding', 'Labour claim');
      await choose(page, 'Client’s role', 'Plaintiff');
      const addP = page.getByRole('form', { name: 'Add a proceeding' });
      await addP.getByLabel('Court or jurisdiction').fill(court);
      await addP.getByRole('button', { name: 'Save' }).click();
      const row = page.getByRole('row').filter({ hasText: court });
      await row.getByText('Under consideration').waitFor();
      await check(page, 'case-legal');

      await row.getByRole('button', { name: 'Change the proceeding: Labour claim' }).click();
      const editP = page.getByRole('dialog', { name: 'Change a proceeding' });
      await editP.getByLabel('Reference').waitFor();
      await chooseIn(page, editP, 'Status', 'Filed');
      await editP.getByLabel('Reference').fill('AR 2026/123');
      await check(page, 'proceeding-change');
      await editP.getByRole('button', { name: 'Save' }).click();
      await editP.waitFor({ state: 'detached' });
      await row.getByText('Filed').waitFor();

      // Its contacts: a lawyer added and linked to the directory, a blank row left out, then
      // read back.
      const change = () => row.getByRole('button', { name: 'Change the proceeding: Labour claim' }).click();
      await change();
      const editC = page.getByRole('dialog', { name: 'Change a proceeding' });
      await editC.getByText('No contact recorded.').waitFor();
      await editC.getByRole('button', { name: 'Add a contact' }).click();
      await editC.getByRole('button', { name: 'Add a contact' }).click();
      const lawyer = editC.getByRole('group', { name: 'Contact 1' });
      await lawyer.getByLabel('Name').fill('Maître E2E Janssens');
      // The lawyer's organisation is taken from the referral directory.
      await lawyer.getByRole('combobox', { name: 'In the referral directory' }).fill('Pro Deo');
      await page.getByRole('option', { name: /^Brussels Bar Pro Deo Desk/ }).click();
      expect((await lawyer.getByLabel('Organisation').inputValue()) === 'Brussels Bar Pro Deo Desk', 'the entry names the organisation');
      await chooseIn(page, editC.getByRole('group', { name: 'Contact 2' }), 'Role', 'Court');
      await check(page, 'proceeding-contacts');
      await editC.getByRole('button', { name: 'Save' }).click();
      await editC.waitFor({ state: 'detached' });
      await change();
      const readBack = page.getByRole('dialog', { name: 'Change a proceeding' });
      const kept = readBack.getByRole('group', { name: 'Contact 1' });
      await kept.getByLabel('Name').waitFor();
      expect((await kept.getByLabel('Name').inputValue()) === 'Maître E2E Janssens', 'the contact’s name is read back');
      expect((await kept.getByRole('combobox', { name: 'Role' }).inputValue()) === 'Lawyer', 'the contact’s role is read back');
      const linked = await kept.getByRole('combobox', { name: 'In the referral directory' }).inputValue();
      expect(linked.startsWith('Brussels Bar Pro Deo Desk'), `the link is read back: ${linked}`);
      expect((await readBack.getByRole('group', { name: 'Contact 2' }).count()) === 0, 'the blank row was left out');
      await readBack.getByRole('button', { name: 'Cancel' }).click();
      await readBack.waitFor({ state: 'detached' });

      // A hearing of that proceeding, then moved and recorded as held with its outcome.
      await row.getByRole('button', { name: 'Hearings of the proceeding: Labour claim' }).click();
      const hearings = page.getByRole('region', { name: 'Hearings: Labour claim' });
      await hearings.getByRole('button', { name: 'Add a hearing' }).click();
      const when = localAt(20, 9, 30);
      await hearings.getByLabel('Date and time').fill(when.input);
      await hearings.getByLabel('Place').fill('Labour tribunal, room 3');
      await hearings.getByRole('button', { name: 'Save' }).click();
      const hearing = hearings.getByRole('row').filter({ hasText: 'Labour tribunal, room 3' });
      await hearing.getByText('Scheduled').waitFor();
      // A scheduled hearing puts a deadline in the case's deadlines.
      const deadlines = page.getByRole('region', { name: 'Deadlines of the case' });
      await deadlines.getByRole('row').filter({ hasText: dateOf(when.date) }).filter({ hasText: 'A hearing' }).first().waitFor();
      await check(page, 'case-legal-hearings');

      await hearing.getByRole('button', { name: /^Change the hearing of/ }).click();
      const editH = page.getByRole('dialog', { name: 'Change a hearing' });
      const moved = localAt(21, 14, 0);
      await editH.getByLabel('Date and time').fill(moved.input);
      await chooseIn(page, editH, 'Status', 'Held');
      await editH.getByLabel('Outcome').fill('Heard as a witness; the trial continues.');
      await check(page, 'hearing-change');
      await editH.getByRole('button', { name: 'Save' }).click();
      await editH.waitFor({ state: 'detached' });
      await hearing.getByText('Held').waitFor();
      await hearing.getByText(dateOf(moved.date)).waitFor();

      // A procedure step by hand: a date the API refuses shows its message, then the step starts.
      const steps = page.getByRole('region', { name: 'Procedure steps' });
      await chooseIn(page, steps, 'Step', /^Certificate of registration/);
      await steps.getByLabel('Started on').fill('1990-01-01');
      await steps.getByRole('button', { name: 'Save' }).click();
      await steps.getByText('must be within ten years back and one year ahead').waitFor();
      const today = new Date().toISOString().slice(0, 10);
      await steps.getByLabel('Started on').fill(today);
      await steps.getByRole('button', { name: 'Save' }).click();
      const started = steps.getByRole('status').filter({ hasText: 'Step started' });
      await started.waitFor();
      const first = (await started.getByRole('listitem').first().textContent()) ?? '';
      const title = first.split(' — ')[0].trim();
      expect(title.length > 0, `the started step lists its deadlines: ${first}`);
      await check(page, 'case-legal-steps');

      // That deadline, moved and marked done.
      const deadline = deadlines.getByRole('row').filter({ hasText: title }).filter({ hasText: 'Open' }).last();
      await deadline.getByRole('button', { name: `Change the deadline: ${title}` }).click();
      const editD = page.getByRole('dialog', { name: 'Change a deadline' });
      const due = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
      await editD.getByLabel('Due on').fill(due);
      await chooseIn(page, editD, 'Status', 'Done');
      await check(page, 'deadline-change');
      await editD.getByRole('button', { name: 'Save' }).click();
      await editD.waitFor({ state: 'detached' });
      await deadlines.getByRole('row').filter({ hasText: title }).filter({ hasText: dateOf(due) }).getByText('Done').waitFor();

      // A deadline set by hand: a date out of range shows the API's message, then it is set.
      await deadlines.getByRole('button', { name: 'Set a deadline' }).click();
      const setD = page.getByRole('form', { name: 'Set a deadline' });
      await setD.getByLabel('Deadline').fill('Appeal against the labour tribunal ruling');
      await setD.getByLabel('Due on').fill('2050-01-01');
      await setD.getByRole('button', { name: 'Save' }).click();
      await setD.getByText('must be within one year back and ten years ahead').waitFor();
      // The API writes its refusal in the user's language.
      await page.getByRole('combobox', { name: 'Language' }).selectOption('nl');
      const setNl = page.getByRole('form', { name: 'Een termijn instellen' });
      await setNl.getByRole('button', { name: 'Opslaan' }).click();
      await setNl.getByText('moet tussen een jaar terug en tien jaar vooruit liggen').waitFor();
      await page.getByRole('combobox', { name: 'Taal' }).selectOption('en');
      const appealOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      await setD.getByLabel('Due on').fill(appealOn);
      await check(page, 'deadline-add');
      await setD.getByRole('button', { name: 'Save' }).click();
      await setD.waitFor({ state: 'detached' });
      const appeal = deadlines.getByRole('row').filter({ hasText: 'Appeal against the labour tribunal ruling' });
      await appeal.getByText('Added by hand').waitFor();
      await appeal.getByText(dateOf(appealOn)).waitFor();
    },
  ],
  [
    'legal: a case worker plans an appointment, finds it in the agenda, changes it and cancels it',
    async ({ page, base }) => {
      await signIn(page, BE('case_worker'));
      await openCase(page, base, 'BE-2026-0019', 'tasks');
      const name = `E2E visit to the lawyer ${Date.now() % 100000}`;
      const when = localAt(2, 10, 0);
      await page.getByRole('button', { name: 'Add a task' }).click();
      await page.getByRole('textbox', { name: 'Task', exact: true }).fill(name);
      await choose(page, 'Kind', 'Appointment');
      const addT = page.getByRole('form', { name: 'Add a task' });
      await addT.getByLabel('Due').fill(when.input);
      await addT.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('row').filter({ hasText: name }).waitFor();

      await nav(page, 'Agenda');
      const item = page.getByTestId('agenda-item').filter({ hasText: name });
      await item.getByText('Appointment', { exact: true }).waitFor();
      await item.getByRole('link', { name: 'BE-2026-0019' }).waitFor();
      await check(page, 'agenda');

      // Changed: a new title and a later time, seen from the agenda's link back to the case.
      await item.getByRole('link', { name: 'BE-2026-0019' }).click();
      const row = page.getByRole('row').filter({ hasText: name });
      await row.getByRole('button', { name: `Change “${name}”` }).click();
      const edit = page.getByRole('dialog', { name: 'Change a task' });
      await edit.getByRole('textbox', { name: 'Task', exact: true }).waitFor();
      const renamed = `${name} (moved)`;
      const later = localAt(3, 15, 30);
      await edit.getByRole('textbox', { name: 'Task', exact: true }).fill(renamed);
      await edit.getByLabel('Due').fill(later.input);
      await edit.getByLabel('Details').fill('Bring the police attestation.');
      await check(page, 'task-change');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      const changed = page.getByRole('row').filter({ hasText: renamed });
      await changed.getByText(dateOf(later.date)).waitFor();

      // Cancelled: it leaves the agenda.
      await changed.getByRole('button', { name: `Cancel “${renamed}”` }).click();
      const confirm = page.getByRole('dialog', { name: 'Cancel a task' });
      await check(page, 'task-cancel');
      await confirm.getByRole('button', { name: 'Yes, cancel the task' }).click();
      await confirm.waitFor({ state: 'detached' });
      await changed.getByText('Cancelled').waitFor();
      await nav(page, 'Agenda');
      await page.getByTestId('agenda-item').first().waitFor();
      expect((await page.getByTestId('agenda-item').filter({ hasText: renamed }).count()) === 0, 'a cancelled task leaves the agenda');
    },
  ],
  [
    'legal: a trainer writes a course and a new version of it, and changes a session',
    async ({ page }) => {
      await signIn(page, BE('trainer'));
      await nav(page, 'Training library');
      const title = `E2E Front desk indicators ${Date.now() % 100000}`;
      await page.getByRole('button', { name: 'Write a course' }).click();
      const form = page.getByRole('form', { name: 'Write a course' });
      await fillCourse(page, form, {
        title,
        summary: 'A half-day course for shelter staff.',
        audience: 'Shelter staff',
        languages: 'xx',
        objectives: 'Name the indicator groups\nRefer a presumed victim safely',
        module: 'Deception',
        content: '## Deception\n\nPromises that do not hold.',
      });
      await check(page, 'course-new');
      // The API refuses an unknown language code and says why.
      await form.getByLabel('Languages').fill('xx, en');
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByText('must be an ISO 639-1 code').waitFor();
      await form.getByLabel('Languages').fill('en, fr');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { level: 2, name: title }).waitFor();
      const versions = page.getByRole('region', { name: 'Versions' });
      await versions.getByRole('row').filter({ hasText: 'Published' }).waitFor();

      // A new version with a second module; the first stays readable.
      await page.getByRole('button', { name: 'Write a new version' }).click();
      const dialog = page.getByRole('dialog', { name: 'Write a new version' });
      await dialog.getByRole('textbox', { name: 'Title', exact: true }).waitFor();
      await dialog.getByRole('textbox', { name: 'Title', exact: true }).fill(`${title} v2`);
      await dialog.getByRole('button', { name: 'Add a module' }).click();
      await dialog.getByRole('group', { name: 'Module 2' }).getByLabel('Module title').fill('Referral');
      await dialog.getByRole('group', { name: 'Module 2' }).getByLabel('Content').fill('Call the **hotline**.');
      await check(page, 'course-new-version');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('heading', { level: 2, name: `${title} v2` }).waitFor();
      await page.getByRole('navigation', { name: 'Modules' }).getByRole('button', { name: '2. Referral' }).waitFor();
      await versions.getByRole('row').filter({ hasText: `${title} v2` }).waitFor();
      await versions.getByRole('button', { name: `Read version 1: ${title}` }).click();
      const reading = page.getByRole('dialog', { name: 'A version of the course' });
      await reading.getByRole('heading', { name: title, exact: true }).waitFor();
      await reading.getByText('Promises that do not hold.').waitFor();
      expect((await reading.getByText('Referral').count()) === 0, 'the first version has one module');
      await check(page, 'course-version');
      await reading.getByRole('button', { name: 'Close' }).click();

      // A session changed: more participants and the scores after the evaluation.
      await nav(page, 'Training sessions');
      await page.getByTestId('training-summary').waitFor();
      await check(page, 'sessions-summary');
      await page.getByRole('button', { name: /^Change the session of/ }).first().click();
      const edit = page.getByRole('dialog', { name: 'Change a session' });
      await edit.getByLabel('Participants').fill('37');
      await edit.getByLabel('Score after (0–100)').fill('91');
      await check(page, 'session-change');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: '37', exact: true }).first().waitFor();

      await nav(page, 'Technical assistance');
      const button = page.getByRole('button', { name: /^Change the engagement with/ }).first();
      const partnerLabel = await button.getAttribute('aria-label');
      const engagement = page.getByRole('row').filter({ has: page.getByRole('button', { name: partnerLabel, exact: true }) });
      await button.click();
      const editE = page.getByRole('dialog', { name: 'Change an engagement' });
      await editE.getByLabel('Deliverables').waitFor();
      await chooseIn(page, editE, 'Status', 'Completed');
      await check(page, 'engagement-change');
      await editE.getByRole('button', { name: 'Save' }).click();
      await editE.waitFor({ state: 'detached' });
      await engagement.getByText('Completed').waitFor();
    },
  ],
  [
    'legal: a platform administrator writes a shared course, verified at once, that organisations find',
    async ({ page, base }) => {
      await signIn(page, 'platform@haven.example');
      await nav(page, 'Curation');
      const title = `E2E Shared indicators ${Date.now() % 100000}`;
      await page.getByRole('button', { name: 'Write a shared course' }).click();
      const form = page.getByRole('form', { name: 'Write a course' });
      expect((await form.getByRole('combobox', { name: 'Who sees it' }).count()) === 0, 'platform courses are always shared');
      await fillCourse(page, form, {
        title,
        summary: 'For every organisation.',
        audience: 'Police',
        languages: 'en',
        objectives: 'Spot the indicators',
        module: 'Indicators',
        content: 'Deception, coercion, control.',
      });
      await check(page, 'curation-course-new');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: `“${title}” is in the shared library, verified.` }).waitFor();
      const headers = await headersOf(base, BE('trainer'));
      const found = await (await fetch(`${base}/api/v1/training/courses?limit=200&q=${encodeURIComponent(title)}`, { headers })).json();
      expect(found.items.some((c) => c.version.title === title && c.verification_status === 'verified'), 'an organisation finds the verified course');
    },
  ],
  [
    'legal: a case worker lists the referrals sent from their cases by status; a notification leads to its screen',
    async ({ page, base }) => {
      await signIn(page, BE('case_worker'));
      await nav(page, 'Sent referrals');
      const list = page.getByRole('region', { name: 'Referrals sent from your cases' });
      await list.getByRole('row').nth(1).waitFor();
      await check(page, 'referrals-sent');
      await choose(page, 'Status', 'Accepted');
      await list.getByRole('cell', { name: 'Accepted', exact: true }).first().waitFor();
      for (const status of ['Sent', 'Declined', 'Completed', 'Cancelled']) {
        expect((await list.getByRole('cell', { name: status, exact: true }).count()) === 0, `only accepted referrals, not ${status}`);
      }
      await list.getByRole('link').first().click();
      await page.getByRole('tab', { name: 'Referrals', selected: true }).waitFor();

      // A serious incident notifies the administrator; its notification opens the incidents.
      await reportSeriousIncident(base);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page, BE('tenant_admin'));
      await page.getByRole('button', { name: /^Notifications [1-9]/ }).click();
      const link = page.getByTestId('notification').getByRole('link', { name: /Security incident/ }).first();
      await link.waitFor();
      await check(page, 'notifications-links');
      await link.click();
      await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
      expect(new URL(page.url()).pathname === '/incidents', `the notification led to ${page.url()}`);
    },
  ],
];
