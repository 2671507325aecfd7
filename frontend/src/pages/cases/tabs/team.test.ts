import { candidateOptions, isUserId, teamRows } from './team';

const A = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11';
const B = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12';
const C = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a13';

describe('teamRows', () => {
  it('puts leads first and names members only when users are known', () => {
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
  it('offers active users not on the team, by name', () => {
    const users = [
      { id: C, name: 'Zoe', status: 'active' },
      { id: A, name: 'Ann', status: 'active' },
      { id: B, name: 'Bob', status: 'deactivated' },
    ];
    expect(candidateOptions(users, [{ id: A, role: 'lead' }])).toEqual([{ value: C, label: 'Zoe' }]);
  });
});

describe('isUserId', () => {
  it('takes a UUID and nothing else', () => {
    expect(isUserId(` ${A} `)).toBe(true);
    expect(isUserId('case_worker@demo-be.example')).toBe(false);
    expect(isUserId('')).toBe(false);
  });
});
