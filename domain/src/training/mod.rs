//! Training work an organisation does for outside professionals: technical-assistance
//! engagements with partner organisations and government bodies (tenant-owned).

pub mod engagements;
