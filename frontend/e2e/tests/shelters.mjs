// Keeping shelters, rooms and beds, changing a stay from the bed board, changing and removing an
// organisation's own directory entries, and linking a shared entry to a Haven organisation.
import { PASSWORD } from '../harness.mjs';
import { addEntry, check, choose, expect, nav, signIn } from '../steps.mjs';

const BE = (role) => `${role}@demo-be.example`;

async function bearer(base, email) {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`cannot sign in ${email}: ${res.status}`);
  return { authorization: `Bearer ${(await res.json()).access_token}`, 'content-type': 'application/json' };
}

/** Verifies a shared entry as the platform administrator. */
async function verifyEntry(base, id) {
  const res = await fetch(`${base}/api/v1/directory/organisations/${id}/verify`, { method: 'POST', headers: await bearer(base, 'platform@haven.example'), body: JSON.stringify({ note: null }) });
  if (res.status !== 200) throw new Error(`cannot verify: ${res.status} ${await res.text()}`);
}

const dialog = (page, name) => page.getByRole('dialog', { name });

export default [
  [
    'a shelter manager opens a shelter, keeps its rooms and beds, and is refused removing a shelter in use',
    async ({ page }) => {
      const name = `E2E House ${Date.now() % 100000}`;
      await signIn(page, BE('shelter_manager'));
      await nav(page, 'Shelters');
      await page.getByRole('button', { name: 'Open a shelter' }).click();
      const open = dialog(page, 'Open a shelter');
      await open.getByRole('button', { name: 'Save' }).click();
      await open.getByLabel('Address').and(page.locator('[aria-invalid=true]')).waitFor();
      await open.getByRole('textbox', { name: 'Name' }).fill(name);
      await open.getByRole('textbox', { name: 'Capacity' }).fill('4');
      await open.getByRole('textbox', { name: 'Address' }).fill('Voorbeeldstraat 1\n2000 Antwerpen');
      await choose(page, 'Admits', 'Female');
      await page.keyboard.press('Escape');
      await check(page, 'shelter-open');
      await open.getByRole('button', { name: 'Save' }).click();
      await open.waitFor({ state: 'detached' });
      await page.getByRole('link', { name }).waitFor();

      // Renamed through its change dialog.
      await page.getByRole('button', { name: `Change ${name}` }).click();
      const change = dialog(page, 'Change a shelter');
      await change.getByRole('textbox', { name: 'Address' }).waitFor();
      expect((await change.getByRole('textbox', { name: 'Address' }).inputValue()).startsWith('Voorbeeldstraat 1'), 'the manager reads the address');
      await check(page, 'shelter-change');
      await change.getByRole('textbox', { name: 'Name' }).fill(`${name} North`);
      await change.getByRole('button', { name: 'Save' }).click();
      await change.waitFor({ state: 'detached' });
      await page.getByRole('link', { name: `${name} North` }).click();

      await page.getByText('This shelter has no rooms yet.').waitFor();
      await page.getByRole('button', { name: 'Add a room' }).click();
      const addRoom = dialog(page, 'Add a room');
      await addRoom.getByRole('textbox', { name: 'Room', exact: true }).fill('Room A');
      await addRoom.getByRole('textbox', { name: 'Floor' }).fill('Ground floor');
      await check(page, 'room-add');
      await addRoom.getByRole('button', { name: 'Save' }).click();
      await addRoom.waitFor({ state: 'detached' });
      await page.getByRole('heading', { name: /^Room A/ }).waitFor();

      await page.getByRole('button', { name: 'Add a bed to Room A' }).click();
      const addBed = dialog(page, 'Add a bed to Room A');
      await addBed.getByRole('textbox', { name: 'Bed' }).fill('A1');
      await check(page, 'bed-add');
      await addBed.getByRole('button', { name: 'Save' }).click();
      await addBed.waitFor({ state: 'detached' });
      const bed = page.locator('li.bed').filter({ hasText: 'A1' });
      await bed.getByText('Free').waitFor();
      await page.getByTestId('free-beds').getByText('1 free bed').waitFor();

      await page.getByRole('button', { name: 'Change room Room A' }).click();
      const room = dialog(page, 'Change a room');
      await room.getByRole('textbox', { name: 'Room', exact: true }).fill('Garden room');
      await check(page, 'room-change');
      await room.getByRole('button', { name: 'Save' }).click();
      await room.waitFor({ state: 'detached' });
      await page.getByRole('heading', { name: /^Garden room/ }).waitFor();

      await page.getByRole('button', { name: 'Change bed A1' }).click();
      const changeBed = dialog(page, 'Change a bed');
      await changeBed.getByRole('textbox', { name: 'Bed' }).fill('G1');
      await choose(page, 'Status', 'Out of service');
      await check(page, 'bed-change');
      await changeBed.getByRole('button', { name: 'Save' }).click();
      await changeBed.waitFor({ state: 'detached' });
      const renamed = page.locator('li.bed').filter({ hasText: 'G1' });
      await renamed.getByText('Out of service').waitFor();
      await page.getByTestId('free-beds').getByText('0 free beds').waitFor();

      // A room with a bed is refused, in the API's words; then the bed goes, then the room.
      await page.getByRole('button', { name: 'Remove room Garden room' }).click();
      const removeRoom = dialog(page, 'Remove this room?');
      await removeRoom.getByRole('button', { name: 'Yes, remove' }).click();
      await removeRoom.getByRole('alert').getByText('The room still has beds (1)').waitFor();
      await check(page, 'room-remove-refused');
      await removeRoom.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Remove bed G1' }).click();
      await dialog(page, 'Remove this bed?').getByRole('button', { name: 'Yes, remove' }).click();
      await renamed.waitFor({ state: 'detached' });
      await page.getByText('No beds in this room.').waitFor();
      await page.getByRole('button', { name: 'Remove room Garden room' }).click();
      await dialog(page, 'Remove this room?').getByRole('button', { name: 'Yes, remove' }).click();
      await page.getByText('This shelter has no rooms yet.').waitFor();
      await check(page, 'bed-board-manage');

      // A shelter with beds is refused; an empty one goes.
      await nav(page, 'Shelters');
      await page.getByRole('button', { name: 'Remove Demo House Iris' }).click();
      const refuse = dialog(page, 'Remove this shelter?');
      await refuse.getByRole('button', { name: 'Yes, remove' }).click();
      await refuse.getByRole('alert').getByText(/^The shelter still has beds/).waitFor();
      await check(page, 'shelter-remove-refused');
      await refuse.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('link', { name: 'Demo House Iris' }).waitFor();
      await page.getByRole('button', { name: `Remove ${name} North` }).click();
      await dialog(page, 'Remove this shelter?').getByRole('button', { name: 'Yes, remove' }).click();
      await page.getByRole('link', { name: `${name} North` }).waitFor({ state: 'detached' });
    },
  ],
  [
    'a shelter manager records a departure from the bed board; shelter staff are offered no changes',
    async ({ page }) => {
      await signIn(page, BE('shelter_manager'));
      await nav(page, 'Shelters');
      await page.getByRole('link', { name: 'Demo House Cedar' }).click();
      const room = page.getByRole('region', { name: /^Room 2/ });
      const bed = room.locator('li.bed').filter({ hasText: /^C/ });
      await bed.getByTestId('resident-code').waitFor();
      const before = await page.getByTestId('free-beds').innerText();
      await bed.getByRole('button', { name: 'Change the stay in bed C' }).click();
      const stay = dialog(page, 'Change a stay');
      await choose(page, 'Change', 'Record a departure');
      await stay.getByRole('button', { name: 'Save' }).click();
      await stay.getByText('Required').waitFor();
      await choose(page, 'Reason for leaving', 'Moved to other accommodation');
      await check(page, 'stay-change');
      await stay.getByRole('button', { name: 'Save' }).click();
      await stay.waitFor({ state: 'detached' });
      await bed.getByText('Free').waitFor();
      expect((await page.getByTestId('free-beds').innerText()) !== before, 'one more free bed');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();

      await signIn(page, BE('shelter_staff'));
      await nav(page, 'Shelters');
      expect(!(await page.getByRole('button', { name: 'Open a shelter' }).count()), 'no new shelter for staff');
      await page.getByRole('link', { name: 'Demo House Iris' }).click();
      await page.getByTestId('resident-code').first().waitFor();
      expect(!(await page.getByRole('button', { name: /^(Add a room|Change the stay|Change bed|Remove)/ }).count()), 'no changes offered to shelter staff');
    },
  ],
  [
    'an organisation changes and removes its own directory entry, and proposes a change of its verified one',
    async ({ page, base }) => {
      const n = Date.now() % 100000;
      const own = await addEntry(base, { name: `E2E Night Shelter ${n}`, organisation_type: 'ngo', city: 'Gent', service_types: ['shelter'], visibility: 'private' });
      const shared = await addEntry(base, { name: `E2E Shared Clinic ${n}`, organisation_type: 'health_service', city: 'Leuven', service_types: ['medical'], visibility: 'shared' });
      await verifyEntry(base, shared.id);
      await signIn(page, BE('case_worker'));
      await page.goto(`/directory/${own.id}`);
      await page.getByRole('heading', { name: own.name }).waitFor();
      await page.getByRole('button', { name: 'Change this entry' }).click();
      const edit = dialog(page, 'Change a directory entry');
      expect((await edit.getByRole('textbox', { name: 'City' }).inputValue()) === 'Gent', 'the form holds the entry');
      await edit.getByRole('textbox', { name: 'City' }).fill('Brugge');
      await edit.getByRole('textbox', { name: 'Phone' }).fill('+32 50 00 00 00');
      await edit.getByRole('textbox', { name: 'Opening hours' }).fill('Every evening from 18:00');
      await check(page, 'directory-entry-change');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      await page.getByRole('status').getByText('The entry is changed.').waitFor();
      await page.getByText('Brugge, BE').waitFor();
      await page.getByRole('link', { name: '+32 50 00 00 00' }).waitFor();
      await page.getByText('Every evening from 18:00').waitFor();

      await page.getByRole('button', { name: 'Remove this entry' }).click();
      await check(page, 'directory-entry-remove');
      await dialog(page, 'Remove this entry?').getByRole('button', { name: 'Yes, remove' }).click();
      await page.getByRole('heading', { level: 1, name: 'Referral directory' }).waitFor();
      await page.getByRole('textbox', { name: 'Words' }).fill(own.name);
      await page.getByRole('table').or(page.getByText('Nothing here yet.')).first().waitFor();
      expect(!(await page.getByRole('link', { name: own.name }).count()), 'the removed entry is gone');

      await page.goto(`/directory/${shared.id}`);
      await page.getByRole('heading', { name: shared.name }).waitFor();
      expect(!(await page.getByRole('button', { name: 'Remove this entry' }).count()), 'a verified shared entry is not removed by its organisation');
      await page.getByRole('button', { name: 'Change this entry' }).click();
      await dialog(page, 'Change a directory entry').getByRole('textbox', { name: 'City' }).fill('Mechelen');
      await dialog(page, 'Change a directory entry').getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText('Your change is proposed').waitFor();
      await page.getByText('Leuven, BE').waitFor();
      const proposals = page.getByRole('region', { name: 'Proposed changes' });
      await proposals.getByText('Awaiting verification').waitFor();
      await proposals.getByRole('button', { name: /^Details of the change/ }).click();
      const detail = dialog(page, 'Proposed change');
      await detail.getByRole('row').filter({ hasText: 'City' }).getByRole('cell', { name: 'Mechelen' }).waitFor();
      await check(page, 'directory-proposal');
    },
  ],
  [
    'the platform administrator links a shared directory entry to a Haven organisation',
    async ({ page, base }) => {
      const entry = await addEntry(base, { name: `E2E Partner NGO ${Date.now() % 100000}`, organisation_type: 'ngo', service_types: ['social_services'], visibility: 'shared' });
      await verifyEntry(base, entry.id);
      await signIn(page, 'platform@haven.example');
      await nav(page, 'Curation');
      await page.getByRole('textbox', { name: 'Find a shared entry' }).fill(entry.name);
      const link = page.getByRole('region', { name: 'Shared entries and the Haven organisations they are' });
      const row = link.getByRole('row').filter({ hasText: entry.name });
      await row.waitFor();
      await expectRows(link, 2);
      await row.getByRole('combobox', { name: `Haven organisation of ${entry.name}` }).click();
      await page.getByRole('option', { name: /\(demo-ng\)$/ }).click();
      await check(page, 'platform-link');
      await row.getByRole('button', { name: 'Link', exact: true }).click();
      await row.getByRole('cell', { name: 'Demo Shelter Nigeria', exact: true }).waitFor();
      const headers = await bearer(base, 'platform@haven.example');
      const stored = await (await fetch(`${base}/api/v1/directory/organisations/${entry.id}`, { headers })).json();
      expect(stored.linked_to_haven === true && stored.linked_tenant_id, `the entry is linked: ${JSON.stringify(stored)}`);
      await row.getByRole('button', { name: `Unlink ${entry.name}` }).click();
      await row.getByRole('button', { name: `Unlink ${entry.name}` }).waitFor({ state: 'detached' });
    },
  ],
];

/** The table of `region` has `n` rows (its header included). */
async function expectRows(region, n) {
  const until = Date.now() + 10_000;
  while ((await region.getByRole('row').count()) !== n && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect((await region.getByRole('row').count()) === n, `expected ${n} rows`);
}
