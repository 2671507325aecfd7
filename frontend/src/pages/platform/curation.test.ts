import { describeChanges } from './Curation';

describe('a proposed edit, as the reviewer reads it', () => {
  it('names each changed field with its new value, a cleared field as a dash', () => {
    expect(describeChanges({ hours: 'Mon–Sat 8:00–20:00', website: null, languages: ['fr', 'nl'] })).toBe(
      'hours: Mon–Sat 8:00–20:00; website: —; languages: ["fr","nl"]',
    );
  });
  it('is empty when nothing changes', () => {
    expect(describeChanges({})).toBe('');
  });
});
