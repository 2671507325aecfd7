//! Small-cell protection for counts that leave an organisation's own dashboard (exports,
//! platform-wide statistics).
//!
//! Primary suppression hides every count below k. Secondary suppression stops the hidden
//! counts from being worked out by differencing: in every line of the table (the cells that
//! share all keys but one, whose sum a margin or another report could reveal) that hides
//! anything, further cells are hidden, smallest first, until at least two are hidden and the
//! hidden cells add up to at least k — so subtracting the published cells from any total
//! yields nothing smaller than k. Totals are published only where none of their cells is
//! hidden. Zero counts are never listed.

/// The threshold when an organisation sets none (the one the Counter-Trafficking Data
/// Collaborative publishes with).
pub const DEFAULT_K: u32 = 11;
/// The lowest threshold an organisation may choose.
pub const MIN_K: u32 = 5;
/// The highest threshold an organisation may choose.
pub const MAX_K: u32 = 1000;

/// One count of a table, under its keys (one per dimension).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub keys: Vec<String>,
    pub count: i64,
}

/// Which cells must be hidden at threshold `k`: `true` at the position of each hidden cell.
/// Cells with a count of zero or less are hidden too (they are not published at all).
#[must_use]
pub fn suppressed(cells: &[Cell], k: i64) -> Vec<bool> {
    let mut hidden: Vec<bool> = cells.iter().map(|c| c.count < k).collect();
    let dims = cells.iter().map(|c| c.keys.len()).max().unwrap_or(0);
    let lines = lines(cells, dims);
    loop {
        let mut changed = false;
        for line in &lines {
            changed |= protect_line(cells, line, &mut hidden, k);
        }
        if !changed {
            return hidden;
        }
    }
}

/// The lines of a table: for each dimension, the groups of cells that agree on every other
/// key. A one-dimensional table has one line, the whole table.
fn lines(cells: &[Cell], dims: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for free in 0..dims.max(1) {
        let mut groups: std::collections::BTreeMap<Vec<&str>, Vec<usize>> =
            std::collections::BTreeMap::new();
        for (i, cell) in cells.iter().enumerate() {
            let fixed: Vec<&str> = cell
                .keys
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != free)
                .map(|(_, k)| k.as_str())
                .collect();
            groups.entry(fixed).or_default().push(i);
        }
        out.extend(groups.into_values());
    }
    out
}

/// Hides more cells of `line` until what it hides cannot be singled out; whether it hid any.
fn protect_line(cells: &[Cell], line: &[usize], hidden: &mut [bool], k: i64) -> bool {
    let mut changed = false;
    loop {
        let hidden_here: Vec<usize> = line.iter().copied().filter(|&i| hidden[i]).collect();
        if hidden_here.is_empty() {
            return changed;
        }
        let mass: i64 = hidden_here.iter().map(|&i| cells[i].count.max(0)).sum();
        if hidden_here.len() >= 2 && mass >= k {
            return changed;
        }
        // The smallest cell still shown (ties: the first in key order, so results repeat).
        let next = line
            .iter()
            .copied()
            .filter(|&i| !hidden[i])
            .min_by(|&a, &b| {
                cells[a]
                    .count
                    .cmp(&cells[b].count)
                    .then_with(|| cells[a].keys.cmp(&cells[b].keys))
            });
        match next {
            Some(i) => {
                hidden[i] = true;
                changed = true;
            }
            None => return changed,
        }
    }
}

/// A published total: the sum of `counts` when none of them is hidden and the sum reaches k.
#[must_use]
pub fn protected_total(counts: &[Option<i64>], k: i64) -> Option<i64> {
    let mut sum = 0i64;
    for c in counts {
        sum += (*c)?;
    }
    (sum >= k).then_some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng as _, SeedableRng as _};

    fn cell(keys: &[&str], count: i64) -> Cell {
        Cell {
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            count,
        }
    }

    #[test]
    fn nothing_is_hidden_when_every_count_reaches_k() {
        let cells = [cell(&["a"], 11), cell(&["b"], 40), cell(&["c"], 12)];
        assert_eq!(suppressed(&cells, 11), vec![false, false, false]);
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        let cells = [cell(&["a"], 3), cell(&["b"], 40), cell(&["c"], 12)];
        assert_eq!(suppressed(&cells, 11), vec![true, false, true]);
    }

    #[test]
    fn hidden_cells_are_added_until_their_sum_reaches_k() {
        let cells = [
            cell(&["a"], 1),
            cell(&["b"], 2),
            cell(&["c"], 12),
            cell(&["d"], 50),
        ];
        assert_eq!(suppressed(&cells, 11), vec![true, true, true, false]);
    }

    #[test]
    fn a_two_dimensional_table_is_protected_along_rows_and_columns() {
        // period × gender; the small cell must not be recoverable from its row or its column.
        let cells = [
            cell(&["2026-01", "female"], 4),
            cell(&["2026-01", "male"], 30),
            cell(&["2026-02", "female"], 25),
            cell(&["2026-02", "male"], 20),
        ];
        let hidden = suppressed(&cells, 11);
        assert_eq!(hidden, vec![true, true, true, true], "{hidden:?}");
    }

    #[test]
    fn totals_are_published_only_over_shown_cells() {
        assert_eq!(protected_total(&[Some(12), Some(30)], 11), Some(42));
        assert_eq!(protected_total(&[Some(12), None], 11), None);
        assert_eq!(protected_total(&[], 11), None);
    }

    fn random_table(rng: &mut StdRng) -> Vec<Cell> {
        let rows = rng.random_range(1..6);
        let cols = rng.random_range(1..6);
        let two_dims = rng.random_bool(0.5);
        let mut cells = Vec::new();
        for r in 0..rows {
            for c in 0..(if two_dims { cols } else { 1 }) {
                if rng.random_bool(0.8) {
                    let count = if rng.random_bool(0.4) {
                        rng.random_range(1..11)
                    } else {
                        rng.random_range(11..200)
                    };
                    let keys = if two_dims {
                        vec![format!("r{r}"), format!("c{c}")]
                    } else {
                        vec![format!("r{r}")]
                    };
                    cells.push(Cell { keys, count });
                }
            }
        }
        cells
    }

    /// Properties over many random tables: no shown count below k; every line that hides
    /// anything hides at least two cells worth at least k together, or everything; cells at or
    /// above k are shown when nothing around them is small; the result is stable.
    #[test]
    fn random_tables_never_reveal_a_small_count() {
        let mut rng = StdRng::seed_from_u64(7);
        for case in 0..2000 {
            let cells = random_table(&mut rng);
            let k = rng.random_range(5..20);
            let hidden = suppressed(&cells, k);
            for (i, c) in cells.iter().enumerate() {
                assert!(
                    hidden[i] || c.count >= k,
                    "case {case}: {cells:?} {hidden:?}"
                );
            }
            let dims = cells.iter().map(|c| c.keys.len()).max().unwrap_or(0);
            for line in lines(&cells, dims) {
                let hidden_here: Vec<usize> = line.iter().copied().filter(|&i| hidden[i]).collect();
                if hidden_here.is_empty() {
                    continue;
                }
                let mass: i64 = hidden_here.iter().map(|&i| cells[i].count).sum();
                let all = hidden_here.len() == line.len();
                assert!(
                    all || (hidden_here.len() >= 2 && mass >= k),
                    "case {case}: line {line:?} of {cells:?} hides {hidden_here:?}"
                );
            }
            if cells.iter().all(|c| c.count >= k) {
                assert!(hidden.iter().all(|h| !h), "case {case}");
            }
            assert_eq!(hidden, suppressed(&cells, k), "case {case}: deterministic");
        }
    }
}
