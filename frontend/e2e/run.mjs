// The browser tests of the web app (see harness.mjs): `npm run e2e` after `npm run build` and
// `cargo build -p haven-api`.
import { existsSync, readdirSync } from 'node:fs';
import { assertCleanStorage, assertNoPii, run } from './harness.mjs';
import { addAdmin, addEntry, addFreeBed, addTenant, caseCodesOf, check, choose, expect, expectCount, findsEntry, nav, navLabels, reportSeriousIncident, signIn, signOut } from './steps.mjs';

const BE = (role) => `${role}@demo-be.example`;
const NG = (role) => `${role}@demo-ng.example`;

const tests = [
  [
    'a case worker takes a new client from signal to a bed, plans support, and signs out',
    async ({ page, base }) => {
      await addFreeBed(base, 'Demo House Iris');
      await signIn(page, BE('case_worker'));
      await check(page, 'dashboard');
      await nav(page, 'Clients & cases');
      await check(page, 'cases');

      await page.getByRole('link', { name: 'New intake' }).first().click();
      await page.getByLabel('How was the person signalled?').fill('Signalled by the labour inspectorate after a workplace check.');
      await choose(page, 'Types of exploitation', 'Forced labour');
      await page.keyboard.press('Escape');
      await check(page, 'intake-signal');
      await page.getByRole('button', { name: 'Save' }).click();

      await choose(page, 'Gender', 'Female');
      await page.getByLabel('Nationality').fill('ro');
      await page.getByLabel('Languages').fill('ro, en');
      await page.getByLabel('Given name').fill('Testa');
      await page.getByLabel('Family name').fill('Wizardova');
      await check(page, 'intake-client');
      await page.getByRole('button', { name: 'Save' }).click();

      await page.getByLabel('Language of the interview').fill('ro');
      await choose(page, 'Place', 'Shelter');
      await choose(page, 'Presumed victim?', 'Yes');
      const firstIndicator = page.getByRole('radiogroup').first();
      await firstIndicator.getByRole('radio', { name: 'Yes' }).check();
      await page.getByLabel('The person consents to the processing of their data').check();
      await check(page, 'intake-interview');
      await page.getByRole('button', { name: 'Save' }).click();

      await choose(page, 'Shelter', 'Demo House Iris');
      await page.getByRole('combobox', { name: 'Bed' }).click();
      await page.getByRole('listbox').getByRole('option').first().click();
      await check(page, 'intake-placement');
      await page.getByRole('button', { name: 'Place in this bed' }).click();

      await page.getByTestId('case-code').waitFor();
      const title = await page.title();
      assertNoPii(page, title, ['Testa', 'Wizardova']);
      expect(/\/cases\/[0-9a-f-]{36}$/.test(new URL(page.url()).pathname), `case URL holds an id only: ${page.url()}`);
      await page.getByTestId('identity').getByText('Wizardova').waitFor();
      await page.getByRole('cell', { name: 'Demo House Iris' }).waitFor();
      await check(page, 'case-overview');

      await page.getByRole('tab', { name: 'Support plan' }).click();
      await page.getByRole('button', { name: 'Add a goal' }).click();
      await choose(page, 'Service area', 'Administrative support');
      await page.getByRole('textbox', { name: 'Goal', exact: true }).fill('Apply for a residence permit');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('cell', { name: 'Apply for a residence permit' }).waitFor();
      await check(page, 'case-support-plan');

      await page.getByRole('tab', { name: 'Services' }).click();
      await page.getByRole('button', { name: 'Record a service' }).click();
      await choose(page, 'Service area', 'Psychosocial support');
      await page.getByRole('combobox', { name: 'Service', exact: true }).click();
      await page.getByRole('listbox').getByRole('option').first().click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('table').getByText('Psychosocial support').waitFor();
      await check(page, 'case-services');

      // A referral: the intake recorded consent to processing only, so the consent gate refuses
      // to share with a legal service, and a case worker may not override it.
      const partner = `E2E Law Centre ${Date.now() % 100000}`;
      await addEntry(base, { name: partner, organisation_type: 'legal_service', city: 'Antwerpen', service_types: ['legal_aid'], visibility: 'private' });
      await page.getByRole('tab', { name: 'Referrals' }).click();
      await page.getByRole('button', { name: 'Make a referral' }).click();
      const referral = page.getByRole('form', { name: 'Make a referral' });
      await referral.getByTestId('sharing-consents').getByText('The client has given no consent to share with partners.').waitFor();
      await referral.getByRole('combobox', { name: 'Partner organisation' }).fill('Law Centre');
      await page.getByRole('option', { name: new RegExp(partner) }).click();
      await choose(page, 'Service area', 'Legal assistance');
      await referral.getByRole('textbox', { name: 'Reason' }).fill('Needs a lawyer before the hearing.');
      await referral.getByRole('button', { name: 'Save' }).click();
      await referral.getByTestId('consent-gate').waitFor();
      const gate = await referral.getByTestId('consent-gate').innerText();
      expect(gate.includes('legal_service'), `the gate names what the consent must cover: ${gate}`);
      expect(!(await referral.getByText('Send without the client’s consent').count()), 'no override for a case worker');
      await check(page, 'case-referral-consent-gate');
      await referral.getByRole('button', { name: 'Cancel' }).click();

      // The client then consents to sharing with legal services, recorded in the interview
      // (the kinds of partner are required), and the referral goes through.
      await page.getByRole('tab', { name: 'Interviews' }).click();
      await page.getByRole('button', { name: /^Open the interview of/ }).click();
      const interview = page.getByRole('dialog', { name: /^Interview of/ });
      await interview.getByRole('button', { name: 'Change this interview' }).click();
      await interview.getByLabel('The person consents to sharing with partner organisations').check();
      await interview.getByRole('button', { name: 'Save' }).click();
      await interview.getByText('Required').waitFor();
      await choose(page, 'With which kinds of partner', 'Legal service');
      await page.keyboard.press('Escape');
      await check(page, 'case-interview-consent');
      await interview.getByRole('button', { name: 'Save' }).click();
      await interview.getByRole('button', { name: 'Change this interview' }).waitFor();
      await interview.locator('dd').getByText('Data processing, Sharing with partners').waitFor();
      await interview.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('tab', { name: 'Referrals' }).click();
      await page.getByRole('button', { name: 'Make a referral' }).click();
      const again = page.getByRole('form', { name: 'Make a referral' });
      await again.getByRole('combobox', { name: 'Partner organisation' }).fill('Law Centre');
      await page.getByRole('option', { name: new RegExp(partner) }).click();
      await choose(page, 'Service area', 'Legal assistance');
      await again.getByRole('textbox', { name: 'Reason' }).fill('Needs a lawyer before the hearing.');
      await again.getByRole('button', { name: 'Save' }).click();
      await again.waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: partner }).first().waitFor();

      // A further interview is added to the case later, beside the intake's.
      await page.getByRole('tab', { name: 'Interviews' }).click();
      await page.getByRole('button', { name: 'Add an interview' }).click();
      const further = page.getByRole('form', { name: 'Add an interview' });
      await further.getByLabel('Language of the interview').fill('en');
      await choose(page, 'Place', 'Shelter');
      await choose(page, 'Presumed victim?', 'Yes');
      await further.getByLabel('An interpreter was present').check();
      await further.getByRole('button', { name: 'Save' }).click();
      await further.getByText('A language code, e.g. fr').waitFor();
      await further.getByLabel('Interpreter’s language').fill('ro');
      await check(page, 'case-interview-add');
      await further.getByRole('button', { name: 'Save' }).click();
      await further.waitFor({ state: 'detached' });
      await expectCount(page.getByRole('button', { name: /^Open the interview of/ }), 2);

      for (const tab of ['Documents', 'Legal', 'Notes', 'Referrals', 'Timeline']) {
        await page.getByRole('tab', { name: tab }).click();
        await check(page, `case-${tab.toLowerCase()}`);
      }
      await assertCleanStorage(page);

      // A reload keeps the session: the access token is gone with the page, the cookie is not.
      await page.reload();
      await page.getByTestId('case-code').waitFor();

      await signOut(page);
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const storage = await page.context().cookies();
      expect(!storage.some((c) => c.name === 'haven_refresh' && c.value), 'the refresh cookie is cleared on sign-out');
    },
  ],
  [
    'shelter staff see the bed board by case code and never an identity',
    async ({ page }) => {
      await signIn(page, BE('shelter_staff'));
      const labels = await navLabels(page);
      expect(!labels.includes('Clients & cases') && !labels.includes('New intake'), `no case entries for shelter staff: ${labels}`);
      await nav(page, 'Shelters');
      await check(page, 'shelters');
      await page.getByRole('link', { name: 'Demo House Iris' }).click();
      await page.getByTestId('resident-code').first().waitFor();
      await check(page, 'bed-board');
      const text = await page.locator('body').innerText();
      expect(!/Demo\d\d/.test(text), 'no family names on the bed board');
      expect(!text.includes('Given name') && !text.includes('Date of birth'), 'no identity fields');
      await page.goto('/cases');
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await assertCleanStorage(page);
    },
  ],
  [
    'a demo-ng case worker never sees demo-be data',
    async ({ page, base }) => {
      const beCases = await caseCodesOf(base, BE('tenant_admin'));
      expect(beCases.length > 0, 'demo-be has cases');
      await signIn(page, NG('case_worker'));
      await nav(page, 'Clients & cases');
      await page.getByRole('table').waitFor();
      const text = await page.locator('main').innerText();
      for (const c of beCases) expect(!text.includes(c.code), `demo-be case ${c.code} shown to demo-ng`);
      await page.goto(`/cases/${beCases[0].id}`);
      await page.getByText('This record does not exist or is not visible to you.').waitFor();
    },
  ],
  [
    'an organisation administrator reaches users, settings and the audit log',
    async ({ page }) => {
      await signIn(page, BE('tenant_admin'));
      await check(page, 'dashboard-admin');
      await nav(page, 'Users & roles');
      await check(page, 'admin-users');
      await nav(page, 'Settings');
      await page.getByLabel('Lock the screen after (minutes without activity)').waitFor();
      await check(page, 'admin-settings');
      await nav(page, 'Audit log');
      await page.getByRole('table').waitFor();
      await check(page, 'admin-audit');
      await nav(page, 'Incidents');
      await check(page, 'incidents');
      await nav(page, 'Technical assistance');
      await check(page, 'engagements');
    },
  ],
  [
    'roles see only what they may do',
    async ({ page }) => {
      const expected = {
        analyst: ['Dashboard', 'Reports', 'Referral directory'],
        trainer: ['Dashboard', 'Referral directory', 'Training library', 'Training sessions', 'Technical assistance'],
        shelter_manager: ['Dashboard', 'Agenda', 'Clients & cases', 'New intake', 'Shelters', 'Incidents', 'Reports', 'Referral directory', 'Sent referrals', 'Incoming referrals', 'Users & roles'],
      };
      for (const [role, want] of Object.entries(expected)) {
        await signIn(page, BE(role));
        const labels = await navLabels(page);
        expect(JSON.stringify(labels) === JSON.stringify(want), `${role} sees ${labels}, expected ${want}`);
        await check(page, `dashboard-${role}`);
        await signOut(page);
      }
    },
  ],
  [
    'the platform administrator manages organisations and verifies a shared directory entry',
    async ({ page, base }) => {
      const entry = `E2E Interpreters ${Date.now() % 100000}`;
      await addEntry(base, { name: entry, organisation_type: 'ngo', service_types: ['interpreting'], visibility: 'shared' });
      expect(!(await findsEntry(base, NG('case_worker'), entry)), 'an unverified entry is not shared yet');
      await signIn(page, 'platform@haven.example');
      await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor();
      const labels = await navLabels(page);
      expect(JSON.stringify(labels) === JSON.stringify(['Organisations', 'Curation', 'Statistics']), `platform nav: ${labels}`);
      await page.getByRole('cell', { name: 'demo-ng' }).waitFor();
      await check(page, 'platform-tenants');
      await nav(page, 'Curation');
      const row = page.getByRole('row').filter({ hasText: entry });
      await row.waitFor();
      await check(page, 'platform-curation');
      await row.getByRole('button', { name: 'Verify' }).click();
      await row.waitFor({ state: 'detached' });
      expect(await findsEntry(base, NG('case_worker'), entry), 'the verified entry is shared with demo-ng');
    },
  ],
  [
    'the app speaks French and Dutch, and locks on demand',
    async ({ page }) => {
      await signIn(page, BE('case_worker'));
      await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
      await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
      expect((await page.locator('html').getAttribute('lang')) === 'fr', 'lang attribute follows');
      expect((await page.locator('html').getAttribute('dir')) === 'ltr', 'dir attribute set');
      await check(page, 'dashboard-fr');
      await page.getByRole('combobox', { name: 'Langue' }).selectOption('nl');
      await page.getByRole('navigation', { name: 'Hoofdnavigatie' }).getByRole('link', { name: 'Cliënten en dossiers' }).click();
      await page.getByRole('heading', { level: 1, name: 'Cliënten en dossiers' }).waitFor();
      await check(page, 'cases-nl');
      await page.getByRole('combobox', { name: 'Taal' }).selectOption('en');

      await page.getByRole('button', { name: 'Lock' }).click();
      await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
      expect(!/BE-2026-\d{4}/.test(await page.locator('body').innerText()), 'no case data behind the lock');
      await check(page, 'lock-screen');
      await page.getByRole('textbox', { name: 'Password' }).fill('haven-demo-2026');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByRole('heading', { level: 1, name: 'Clients & cases' }).waitFor();
    },
  ],
  [
    'the sign-in screen explains wrong credentials and invalid input',
    async ({ page }) => {
      await page.goto('/');
      await check(page, 'login');
      await page.getByLabel('E-mail address').fill('nobody@demo-be.example');
      await page.getByRole('textbox', { name: 'Password' }).fill('wrong password here');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('The e-mail address or password is wrong.').waitFor();
      await page.getByLabel('E-mail address').fill('not-an-address');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Not a valid e-mail address').waitFor();
    },
  ],
  [
    'a case worker adds a partner organisation to the directory and finds it by words and filters',
    async ({ page }) => {
      const name = `E2E Legal Clinic ${Date.now() % 100000}`;
      await signIn(page, BE('case_worker'));
      await nav(page, 'Referral directory');
      await check(page, 'directory');
      await page.getByRole('button', { name: 'Add an organisation' }).click();
      const form = page.locator('main form');
      await form.getByRole('textbox', { name: 'Organisation', exact: true }).fill(name);
      await choose(page, 'Type of organisation', 'Legal service');
      await form.getByRole('textbox', { name: 'Country' }).fill('be');
      await choose(page, 'Services', 'Legal aid');
      await page.keyboard.press('Escape');
      await form.getByRole('textbox', { name: 'City' }).fill('Gent');
      await form.getByRole('textbox', { name: 'Languages' }).fill('nl, fr');
      await form.getByRole('textbox', { name: 'Website' }).fill('javascript:alert(1)');
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByText('An address starting with https://').waitFor();
      await form.getByRole('textbox', { name: 'Website' }).fill('https://clinic.example.org');
      await form.getByRole('textbox', { name: 'Description' }).fill('Free advice on the victim status and residence procedure.');
      await check(page, 'directory-add');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('link', { name }).waitFor();

      await page.getByRole('textbox', { name: 'Words' }).fill('residence procedure');
      await page.getByRole('link', { name }).waitFor();
      await page.getByRole('checkbox', { name: 'Open 24/7' }).check();
      await page.getByRole('link', { name }).waitFor({ state: 'detached' });
      await page.getByRole('checkbox', { name: 'Open 24/7' }).uncheck();
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { name, level: 2 }).waitFor();
      await page.getByText('Free advice on the victim status and residence procedure.').waitFor();
      await page.getByText('Private').waitFor();
      await check(page, 'directory-entry');
    },
  ],
  [
    'an analyst reads the reports and exports a protected CSV without identities',
    async ({ page }) => {
      await signIn(page, BE('analyst'));
      await nav(page, 'Reports');
      await page.getByRole('table').waitFor();
      await check(page, 'reports');
      await choose(page, 'Report', 'Gender and age');
      await page.getByRole('heading', { name: 'Gender and age', level: 2 }).waitFor();
      await page.getByRole('columnheader', { name: 'Age band' }).waitFor();
      await check(page, 'reports-gender-age');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV (protected)' }).click()]);
      expect(/^haven-gender_age-.*\.csv$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
      const { readFile } = await import('node:fs/promises');
      const csv = await readFile(await download.path(), 'utf8');
      const lines = csv.trim().split(/\r?\n/);
      expect(lines.length >= 2 && /gender/.test(lines[0]) && /age_band/.test(lines[0]), `CSV header: ${lines[0]}`);
      expect(!/Demo\d\d|BE-2026-\d{4}/.test(csv), 'no names or case codes in the export');
    },
  ],
  [
    'a trainer reads a course of the library and records a session',
    async ({ page }) => {
      await signIn(page, BE('trainer'));
      await nav(page, 'Training library');
      await page.getByRole('table').waitFor();
      await check(page, 'library');
      await page.getByRole('table').getByRole('link', { name: 'Identifying presumed victims of trafficking' }).click();
      await page.getByTestId('module-content').waitFor();
      // Tables in a module's Markdown are drawn as tables, with their header cells.
      await page.getByTestId('module-content').getByRole('columnheader', { name: 'Smuggling' }).waitFor();
      const text = await page.getByTestId('module-content').innerText();
      expect(text.trim().length > 20, 'the module is rendered');
      expect(!text.includes('<script'), 'no raw HTML');
      await check(page, 'course-reader');
      await nav(page, 'Training sessions');
      await page.getByRole('button', { name: 'Record a session' }).click();
      await page.getByRole('combobox', { name: 'Course' }).click({ force: true });
      await page.getByRole('listbox').getByRole('option').first().click();
      await choose(page, 'Audience', 'Police');
      await page.getByRole('textbox', { name: 'Place' }).fill('Police academy');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('cell', { name: 'Police', exact: true }).first().waitFor();
      await check(page, 'training-sessions');
    },
  ],
  [
    'two administrators erase a client after a subject-access download, and the audit log shows it',
    async ({ page, base }) => {
      const second = await addAdmin(base);
      const cases = await caseCodesOf(base, BE('tenant_admin'));
      const target = cases[cases.length - 1];
      await signIn(page, BE('tenant_admin'));
      await nav(page, 'Settings');
      await page.getByRole('switch', { name: 'Erasure needs a second administrator' }).check({ force: true });
      await page.getByRole('textbox', { name: 'Retention after the last case closed (years)' }).fill('10');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Settings saved.', { exact: false }).waitFor();
      await check(page, 'admin-settings-data-protection');

      await page.goto(`/cases/${target.id}`);
      await page.getByTestId('identity').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download everything held (JSON)' }).click()]);
      expect(download.suggestedFilename() === `haven-client-${target.code}.json`, `file name ${download.suggestedFilename()}`);
      const { readFile } = await import('node:fs/promises');
      const held = JSON.parse(await readFile(await download.path(), 'utf8'));
      expect(JSON.stringify(held).includes(target.code), 'the export holds the case');
      await check(page, 'case-data-protection');

      await page.getByRole('button', { name: 'Erase this client…' }).click();
      const form = page.getByRole('form', { name: 'Erase the client’s personal data' });
      await form.getByRole('button', { name: 'Erase' }).click();
      await form.getByText('Required', { exact: true }).waitFor();
      await form.getByRole('textbox', { name: 'Reason' }).fill('Written request of the person.');
      await form.getByRole('button', { name: 'Erase' }).click();
      await form.getByText('Confirm that you understand this cannot be undone.').waitFor();
      await form.getByRole('checkbox', { name: 'I understand that this cannot be undone.' }).check();
      await check(page, 'case-erasure-form');
      await form.getByRole('button', { name: 'Erase' }).click();
      await page.getByText('The erasure waits for a second administrator’s approval', { exact: false }).waitFor();
      await page.getByTestId('identity').waitFor();

      await nav(page, 'Erasures');
      const request = page.getByRole('row').filter({ hasText: 'Written request of the person.' });
      await request.getByText('Your own request: another administrator approves it.').waitFor();
      await check(page, 'admin-erasures');
      await signOut(page);

      await signIn(page, second);
      await nav(page, 'Erasures');
      await request.getByRole('button', { name: 'Approve and erase' }).click();
      await request.waitFor({ state: 'detached' });
      await page.goto(`/cases/${target.id}`);
      await page.getByTestId('erased').waitFor();
      expect((await page.getByTestId('identity').count()) === 0, 'no identity after the erasure');

      await nav(page, 'Audit log');
      await page.getByRole('textbox', { name: 'Action' }).fill('client.erased');
      await page.getByRole('cell', { name: 'client.erased' }).first().waitFor();
      await check(page, 'admin-audit-filtered');
      const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      const csv = await readFile(await csvDownload.path(), 'utf8');
      const lines = csv.trim().split(/\r?\n/);
      expect(/action/.test(lines[0]) && lines.length >= 2 && lines.slice(1).every((l) => l.includes('client.erased')), `the export keeps the filter: ${lines.slice(0, 3)}`);
      expect(!/Demo\d\d/.test(csv), 'no names in the audit export');
    },
  ],
  [
    'a demo-ng shelter manager reads a referral from demo-be and accepts it into a new case',
    async ({ page }) => {
      await signIn(page, NG('shelter_manager'));
      await nav(page, 'Incoming referrals');
      const waiting = page.getByRole('row').filter({ hasText: 'Received', has: page.getByRole('button') }).first();
      await waiting.waitFor();
      await check(page, 'incoming');
      await waiting.getByRole('button').first().click();
      await page.getByRole('heading', { name: 'What the sender shared' }).waitFor();
      await check(page, 'incoming-packet');
      await page.getByRole('button', { name: 'Accept and open a case' }).click();
      await page.getByTestId('case-code').waitFor();
      const code = await page.getByTestId('case-code').innerText();
      expect(/^NG-/.test(code.trim()), `a demo-ng case was opened: ${code}`);
    },
  ],
  [
    'a case worker manages the case team, withdraws a consent and moves a goal on',
    async ({ page, base }) => {
      await signIn(page, BE('case_worker'));
      await nav(page, 'Clients & cases');
      await page.getByRole('main').getByRole('table').getByRole('link').first().click();
      await page.getByTestId('case-code').waitFor();
      const team = page.getByTestId('case-team');
      await team.getByRole('listitem').first().waitFor();
      const before = await team.getByRole('listitem').count();
      await choose(page, 'Colleague', 'Demo shelter manager');
      await choose(page, 'Team role', 'Member');
      await check(page, 'case-team-add');
      await team.getByRole('button', { name: 'Add to the team' }).click();
      await expectCount(team.getByRole('listitem'), before + 1);
      await check(page, 'case-team');

      const consents = page.getByRole('region', { name: 'Consent', exact: true });
      const withdraw = consents.getByRole('button', { name: /^Withdraw the consent/ }).first();
      await withdraw.waitFor();
      const inForce = await consents.getByRole('button', { name: /^Withdraw the consent/ }).count();
      await withdraw.click();
      const dialog = page.getByRole('dialog', { name: 'Withdraw a consent' });
      await dialog.waitFor();
      await check(page, 'case-consent-withdraw');
      await dialog.getByRole('button', { name: 'Record the withdrawal' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expectCount(consents.getByRole('button', { name: /^Withdraw the consent/ }), inForce - 1);
      await consents.getByRole('cell', { name: 'Withdrawn' }).first().waitFor();

      await page.getByRole('tab', { name: 'Support plan' }).click();
      await page.getByRole('button', { name: 'Add a goal' }).click();
      await choose(page, 'Service area', 'Medical');
      await page.getByRole('textbox', { name: 'Goal', exact: true }).fill('See a general practitioner');
      await page.getByRole('button', { name: 'Save' }).click();
      const row = page.getByRole('row').filter({ hasText: 'See a general practitioner' });
      await row.waitFor();
      const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/goals/'));
      await row.getByRole('combobox', { name: 'Status of the goal (Medical)' }).click();
      await page.getByRole('option', { name: 'In progress', exact: true }).click();
      expect((await patched).status() === 200, 'the goal status is saved');
      await row.locator('input[value="In progress"]').waitFor();
      await check(page, 'case-goal-status');

      await nav(page, 'Dashboard');
      const tasks = page.getByRole('region', { name: 'My tasks' });
      const done = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/tasks/'));
      await tasks.getByRole('button', { name: /^Mark .* done$/ }).first().click();
      const answer = await done;
      expect(answer.status() === 200 && (await answer.json()).status === 'done', 'the task is marked done');
      await check(page, 'dashboard-task-done');
    },
  ],
  [
    'a shelter manager assigns staff to a shelter and publishes its free beds on the directory',
    async ({ page, base }) => {
      const entry = await addEntry(base, { name: `E2E Demo House ${Date.now() % 100000}`, organisation_type: 'ngo', service_types: ['shelter'], visibility: 'private' });
      await signIn(page, BE('shelter_manager'));
      await nav(page, 'Shelters');
      await page.getByRole('link', { name: 'Demo House Iris' }).click();
      const staff = page.getByRole('region', { name: 'Staff of this shelter' });
      await staff.waitFor();
      await choose(page, 'Colleague', 'Demo trainer');
      await staff.getByRole('button', { name: 'Assign to this shelter' }).click();
      await staff.getByRole('cell', { name: 'Demo trainer', exact: true }).waitFor();
      await check(page, 'shelter-staff');
      await staff.getByRole('button', { name: 'End the assignment of Demo trainer' }).click();
      await staff.getByRole('cell', { name: 'Demo trainer', exact: true }).waitFor({ state: 'detached' });

      await page.goto(`/directory/${entry.id}`);
      const publish = page.getByRole('region', { name: 'Free beds tonight on this entry' });
      await publish.waitFor();
      await choose(page, 'Shelter', 'Demo House Iris');
      await publish.getByRole('button', { name: 'Publish its free beds' }).click();
      await publish.getByText('The free beds are published on this entry.').waitFor();
      await publish.getByRole('button', { name: 'Stop publishing' }).waitFor();
      await check(page, 'directory-publish-beds');
      const text = await page.locator('main').innerText();
      expect(!/Street|Straat|Rue/.test(text), 'no shelter address on the entry');
    },
  ],
  [
    'a case worker plans a task on a case and marks it done',
    async ({ page }) => {
      await signIn(page, BE('case_worker'));
      await nav(page, 'Clients & cases');
      await page.getByRole('main').getByRole('table').getByRole('link').first().click();
      await page.getByTestId('case-code').waitFor();
      await page.getByRole('tab', { name: 'Tasks' }).click();
      await page.getByRole('button', { name: 'Add a task' }).click();
      const form = page.getByRole('form', { name: 'Add a task' });
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByText('Required', { exact: true }).first().waitFor();
      const title = `Accompany to the immigration office ${Date.now() % 100000}`;
      await form.getByRole('textbox', { name: 'Task', exact: true }).fill(title);
      await form.getByLabel('Due').fill('2026-12-03T09:30');
      await check(page, 'case-tasks-add');
      await form.getByRole('button', { name: 'Save' }).click();
      const row = page.getByRole('row').filter({ hasText: title });
      await row.waitFor();
      await check(page, 'case-tasks');
      await row.getByRole('button', { name: `Mark “${title}” done` }).click();
      await row.getByRole('cell', { name: 'Done', exact: true }).waitFor();
    },
  ],
  [
    'the app works from the keyboard alone',
    async ({ page }) => {
      await page.goto('/');
      await page.getByRole('combobox').first().selectOption('en');
      const focusOn = async (wanted) => {
        for (let i = 0; i < 40; i += 1) {
          await page.keyboard.press('Tab');
          if (await page.evaluate((w) => document.activeElement?.matches(w) ?? false, wanted)) return;
        }
        throw new Error(`Tab never reached ${wanted}`);
      };
      await focusOn('input[type=email]');
      await page.keyboard.type('case_worker@demo-be.example');
      await page.keyboard.press('Tab');
      await page.keyboard.type('haven-demo-2026');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await focusOn('a.skip-link');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id === 'main'), 'the skip link moves focus to the content');
      await focusOn('nav a[href="/cases"]');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Clients & cases' }).waitFor();
      await focusOn('main table a[href^="/cases/"]');
      await page.keyboard.press('Enter');
      await page.getByTestId('case-code').waitFor();
      await focusOn('[role=tab][aria-selected=true]');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Goals' }).waitFor();
    },
  ],
  [
    'an administrator changes a user, reads notifications and changes their own password; the platform suspends an organisation and reads statistics',
    async ({ page, base }) => {
      // Users invited for the test, so that the demo accounts other tests sign in with stay as they are.
      const email = await addAdmin(base);
      const leaving = await addAdmin(base);
      await reportSeriousIncident(base);
      await signIn(page, BE('tenant_admin'));

      await nav(page, 'Users & roles');
      await check(page, 'users-manage');
      const row = page.getByRole('row').filter({ hasText: email });
      await row.getByRole('button', { name: /^Change/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Change a user' });
      await choose(page, 'Roles', 'Analyst');
      await dialog.getByText('Roles and status of').click();
      await check(page, 'users-change');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await row.getByText('Analyst').waitFor();

      const other = page.getByRole('row').filter({ hasText: leaving });
      await other.getByRole('button', { name: /^Change/ }).click();
      await dialog.getByRole('button', { name: 'Deactivate this user' }).click();
      await dialog.getByText('is signed out everywhere').waitFor();
      await check(page, 'users-deactivate');
      await dialog.getByRole('button', { name: 'Yes, deactivate' }).click();
      await dialog.waitFor({ state: 'detached' });
      await other.getByText('Deactivated').waitFor();

      const bell = page.getByRole('button', { name: /^Notifications [1-9]/ });
      await bell.waitFor();
      await bell.click();
      const first = page.getByTestId('notification').filter({ hasText: 'Security incident' }).filter({ has: page.getByRole('button', { name: 'Mark read' }) }).first();
      await first.waitFor();
      await check(page, 'notifications');
      const before = await page.getByTestId('notification').getByRole('button', { name: 'Mark read' }).count();
      await first.getByRole('button', { name: 'Mark read' }).click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=notification] button').length === n - 1, before);
      await page.keyboard.press('Escape');
      await signOut(page);

      await signIn(page, email);
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      await page.getByLabel('Current password').fill('not the password');
      await page.getByLabel('New password').fill('short');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('The current password is wrong.').waitFor();
      await page.getByLabel('Current password').fill('haven-demo-2026');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Too short: use at least 12 characters.').waitFor();
      await check(page, 'account-password-policy');
      await page.getByLabel('New password').fill('a lantern over the quiet harbour');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Your other sessions were signed out').waitFor();
      await check(page, 'account');
      expect(!page.url().includes('@'), `no address in the URL: ${page.url()}`);
      await assertCleanStorage(page);
      await signOut(page);

      // An organisation onboarded for the test is suspended, then renamed and reactivated.
      const slug = await addTenant(base);
      await signIn(page, 'platform@haven.example');
      const tenant = page.getByRole('row').filter({ hasText: slug });
      await tenant.getByRole('button', { name: /^Change/ }).click();
      const edit = page.getByRole('dialog', { name: 'Change an organisation' });
      await choose(page, 'Status', 'Suspended');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.getByText('Suspend this organisation?').waitFor();
      await check(page, 'platform-tenant-suspend');
      await edit.getByRole('button', { name: 'Yes, suspend' }).click();
      await edit.waitFor({ state: 'detached' });
      await tenant.getByText('Suspended').waitFor();
      await tenant.getByRole('button', { name: /^Change/ }).click();
      await edit.getByLabel('Name').fill(`E2E Renamed ${slug}`);
      await choose(page, 'Status', 'Active');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      await tenant.getByText(`E2E Renamed ${slug}`).waitFor();
      await tenant.getByText('Active').waitFor();

      await nav(page, 'Statistics');
      await page.getByText(/^Counts below \d+ are hidden\.$/).waitFor();
      await check(page, 'platform-statistics');
    },
  ],
];

// Further tests live one area per module in e2e/tests/, each exporting its list as default.
const dir = new URL('./tests/', import.meta.url);
const modules = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort() : [];
for (const file of modules) {
  const { default: more } = await import(new URL(file, dir).href);
  tests.push(...more);
}

const ok = await run(tests);
process.exit(ok ? 0 : 1);
