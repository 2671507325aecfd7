//! `haven seed --synthetic`: loads the synthetic data set of `haven_domain::synthetic` with a
//! progress bar; Ctrl-C stops it after the batch being written.

use haven_domain::crypto::MasterKey;
use haven_domain::synthetic::{self, Plan};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Generates `tenants` organisations of `clients` clients each (those that exist are kept).
/// `statistics` refreshes the planner's statistics as the tables grow (see
/// [`Plan::statistics`]).
///
/// # Errors
/// A password that breaks the policy; database errors.
pub async fn run(
    conn: &DatabaseConnection,
    master: MasterKey,
    tenants: usize,
    clients: usize,
    password: SecretString,
    statistics: Option<&DatabaseConnection>,
) -> anyhow::Result<()> {
    let total = (tenants as u64).saturating_mul(clients as u64);
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} clients ({per_sec}, {eta} left)",
        )?
        .progress_chars("=> "),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.store(true, Ordering::Relaxed);
            }
        })
    };
    let started = Instant::now();
    let plan = Plan {
        tenants,
        clients_per_tenant: clients,
        password,
        statistics,
    };
    let progress = |n: u64| bar.inc(n);
    let outcome = synthetic::seed_synthetic(conn, Arc::new(master), &plan, &progress, &stop).await;
    watcher.abort();
    bar.finish_and_clear();
    let report = outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "synthetic data: {} organisation(s) created, {} already there, {} client(s) with their \
         cases, placements and services in {seconds:.1} s ({:.0} clients/s){}",
        report.tenants_created,
        report.tenants_skipped,
        report.clients_created,
        report.clients_created as f64 / seconds.max(0.001),
        if report.interrupted {
            "; interrupted: run the same command again to finish"
        } else {
            ""
        }
    );
    Ok(())
}
