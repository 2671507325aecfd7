// The platform statistics as the screen shows them: suppressed cells carry no number.
import type { Schemas } from '../../api/client';

/** Each row's count for the bars, a suppressed one as 0 (it draws no bar and hints at nothing). */
export function shownCounts(rows: Pick<Schemas['ProtectedRowOut'], 'count' | 'suppressed'>[]): number[] {
  return rows.map((r) => (r.suppressed || r.count == null ? 0 : r.count));
}

/** The grand total (over every dimension), if the report gives one that is shown. */
export function grandTotal(totals: Schemas['ProtectedTotalOut'][]): number | null {
  const total = totals.find((x) => x.keys.every((k) => k === null));
  return total && !total.suppressed && total.count != null ? total.count : null;
}
