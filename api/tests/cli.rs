//! The `haven` command itself, run as the operator runs it. (Having an integration test here
//! also makes `cargo test --workspace` build the `haven` binary fresh, which the suite in
//! `tests/` starts as a child process to test shutdown and connection handling.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use std::process::Command;

fn generate() -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["keys", "generate"])
        .env_clear()
        .output()
        .expect("run haven");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

#[test]
fn keys_generate_prints_a_new_32_byte_master_key_each_time() {
    let first = generate();
    let second = generate();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&first)
        .expect("base64");
    assert_eq!(bytes.len(), 32);
    assert_ne!(first, second);
}
