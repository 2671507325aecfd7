import { candidateOptions, teamRows } from './team';

const A = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11';
const B = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12';
const C = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a13';

describe('teamRows', () => {
  it('puts leads first and names members only when colleagues are known', () => {
    const team = [
      { id: B, role: 'member' as const },
      { id: A, role: 'lead' as const },
    ];
    expect(teamRows(team, null, B)).toEqual([
      { id: A, role: 'lead', name: null, me: false },
      { id: B, role: 'member', name: null, me: true },
    ]);
    const rows = teamRows(team, [{ id: A, name: 'Ann' }, { id: B, name: 'Bob' }], C);
    expect(rows.map((r) => r.name)).toEqual(['Ann', 'Bob']);
  });
});

describe('candidateOptions', () => {
  it('offers colleagues not on the team, by name', () => {
    const colleagues = [
      { id: C, name: 'Zoe' },
      { id: A, name: 'Ann' },
      { id: B, name: 'Bob' },
    ];
    expect(candidateOptions(colleagues, [{ id: A, role: 'lead' }])).toEqual([
      { value: B, label: 'Bob' },
      { value: C, label: 'Zoe' },
    ]);
  });

  it('leaves out a shelter staff already assigned', () => {
    const staff = [{ id: B, name: 'Bob', email: 'bob@example.org', roles: ['shelter_staff'], assigned_at: '2026-11-30T10:00:00Z' }];
    expect(candidateOptions([{ id: B, name: 'Bob' }, { id: C, name: 'Zoe' }], staff)).toEqual([{ value: C, label: 'Zoe' }]);
  });
});
