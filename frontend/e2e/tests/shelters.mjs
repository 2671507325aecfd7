// Keeping shelters, rooms and beds, and changing a stay from the bed board.
import { check, choose, expect, nav, signIn } from '../steps.mjs';

const BE = (role) => `${role}@demo-be.example`;

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
];

