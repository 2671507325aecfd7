//! Writes the OpenAPI document produced by the handlers to `openapi/openapi.json`.
//! `--check` compares instead and fails when the committed file is stale.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let json = match haven_api::openapi::document_json() {
        Ok(json) => json,
        Err(err) => {
            eprintln!("haven-openapi: cannot serialise the document: {err}");
            return ExitCode::FAILURE;
        }
    };
    if std::env::args().any(|a| a == "--check") {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == json {
            println!("{} is up to date", path.display());
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "{} is stale: run `cargo run -p haven-openapi`",
            path.display()
        );
        return ExitCode::FAILURE;
    }
    match std::fs::write(&path, json) {
        Ok(()) => {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("haven-openapi: cannot write {}: {err}", path.display());
            ExitCode::FAILURE
        }
    }
}
