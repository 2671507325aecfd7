//! The status flow of a referral: `sent → accepted | declined | cancelled`, `accepted →
//! completed | cancelled`; `declined`, `completed` and `cancelled` are final. A referral to a
//! Haven organisation is accepted or declined by that organisation only.

use crate::vocab::ReferralStatus;

/// Where a referral in `from` may be moved by its sender.
#[must_use]
pub fn allowed(from: ReferralStatus, linked: bool) -> Vec<ReferralStatus> {
    use ReferralStatus as S;
    match from {
        S::Sent if linked => vec![S::Cancelled],
        S::Sent => vec![S::Accepted, S::Declined, S::Cancelled],
        S::Accepted => vec![S::Completed, S::Cancelled],
        S::Declined | S::Completed | S::Cancelled => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus as S;

    #[test]
    fn final_states_go_nowhere_and_partners_answer_linked_referrals() {
        for last in [S::Declined, S::Completed, S::Cancelled] {
            assert!(allowed(last, false).is_empty());
        }
        assert!(!allowed(S::Sent, false).contains(&S::Completed));
        assert_eq!(allowed(S::Sent, true), [S::Cancelled]);
        assert_eq!(allowed(S::Accepted, true), [S::Completed, S::Cancelled]);
    }
}
