import { barWidths, dimensionKind, exportName } from './Reports';

describe('report bars', () => {
  it('scale to the largest count, keep a sliver for small counts and nothing for zero', () => {
    expect(barWidths([40, 20, 1, 0])).toEqual([100, 50, 3, 0]);
    expect(barWidths([1000, 1])).toEqual([100, 2]);
    expect(barWidths([0, 0])).toEqual([0, 0]);
    expect(barWidths([])).toEqual([]);
  });
});

describe('report dimensions', () => {
  it('take their labels from the matching vocabulary', () => {
    expect(dimensionKind('cases_by_stage', 'stage')).toBe('Stage');
    expect(dimensionKind('documents', 'kind')).toBe('DocumentKind');
    expect(dimensionKind('signals_and_intakes', 'kind')).toBe('ReportKind');
    expect(dimensionKind('nationalities', 'nationality')).toBeNull();
  });
});

describe('an export file', () => {
  it('is named by report and period', () => {
    expect(exportName('gender_age', '2026-01-01', '2026-11-30')).toBe('haven-gender_age-2026-01-01-2026-11-30.csv');
  });
});
