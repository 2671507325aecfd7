import { unassigned } from './ShelterStaff';

describe('unassigned colleagues', () => {
  it('leaves out those assigned already and sorts by name', () => {
    const colleagues = [
      { id: 'c', name: 'Zoe' },
      { id: 'a', name: 'Ann' },
      { id: 'b', name: 'Bob' },
    ];
    const staff = [{ id: 'a', name: 'Ann', email: 'ann@example.org', roles: ['shelter_staff'], assigned_at: '2026-11-30T10:00:00Z' }];
    expect(unassigned(colleagues, staff)).toEqual([
      { value: 'b', label: 'Bob' },
      { value: 'c', label: 'Zoe' },
    ]);
  });
});
