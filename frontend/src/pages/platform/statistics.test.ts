import { grandTotal, shownCounts } from './statistics';

describe('platform statistics', () => {
  it('draws no bar for a suppressed cell', () => {
    expect(shownCounts([{ count: 14, suppressed: false }, { count: null, suppressed: true }, { count: 30, suppressed: false }])).toEqual([14, 0, 30]);
  });

  it('gives the grand total only when it is shown', () => {
    expect(grandTotal([{ keys: ['intake'], count: 12, suppressed: false }, { keys: [null], count: 40, suppressed: false }])).toBe(40);
    expect(grandTotal([{ keys: [null], count: null, suppressed: true }])).toBeNull();
    expect(grandTotal([])).toBeNull();
  });
});
