//! Referrals: cases referred to partner organisations of the directory ([`sent`]), and the
//! inbox of referrals received from other Haven organisations ([`incoming`]).

pub mod incoming;
pub mod sent;
