//! Waits for a test process to exit, then removes what it created (see `haven_tests::clean`).
//! Arguments: `--pid N` and `--admin-url`, `--database`, `--role` (repeatable), `--redis-url`,
//! `--redis-prefix`, `--dir` as applicable.

use haven_tests::{Leftovers, alive, clean, sweep_stale};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut pid = None;
    let mut leftovers = Leftovers::default();
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            eprintln!("haven-test-reaper: {flag} needs a value");
            return ExitCode::from(2);
        };
        match flag.as_str() {
            "--pid" => pid = value.parse::<u32>().ok(),
            "--admin-url" => leftovers.admin_url = Some(value),
            "--database" => leftovers.database = Some(value),
            "--role" => leftovers.roles.push(value),
            "--redis-url" => leftovers.redis_url = Some(value),
            "--redis-prefix" => leftovers.redis_prefix = Some(value),
            "--dir" => leftovers.dir = Some(value),
            other => {
                eprintln!("haven-test-reaper: unknown flag {other}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(pid) = pid else {
        eprintln!("haven-test-reaper: --pid is required");
        return ExitCode::from(2);
    };
    while alive(pid) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("haven-test-reaper: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let mut code = ExitCode::SUCCESS;
        if let Err(err) = clean(&leftovers).await {
            eprintln!("haven-test-reaper: {err:#}");
            code = ExitCode::FAILURE;
        }
        if let Some(url) = &leftovers.admin_url
            && let Err(err) = sweep_stale(url).await
        {
            eprintln!("haven-test-reaper: {err:#}");
        }
        code
    })
}
