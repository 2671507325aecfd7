//! `haven backup` and `haven restore`, driven as the operator would: the real binary beside a
//! running server. Backups are of the embedded profile, so these tests make an embedded store of
//! their own whatever the run's profile; on PostgreSQL `haven backup` must refuse and point at
//! the README, which is checked against this run's own database when there is one.

use crate::clients::register;
use crate::faults_process::haven;
use crate::helpers::{
    FIXTURE_PASSWORD, Fixture, Profile, TestApp, env, own_store_of, spawn_app_with,
};
use haven_domain::crypto::MasterKey;
use haven_domain::entities::{client, client_key};
use haven_domain::ids::TenantId;
use haven_domain::tenancy::begin_scoped;
use reqwest::Method;
use sea_orm::{ColumnTrait as _, QueryFilter as _};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSPHRASE: &str = "backup passphrase for the tests";

/// An embedded store of its own under `root/live`, with its master key and a passphrase file.
struct Store {
    root: tempfile::TempDir,
    vars: Vec<(String, String)>,
    key: String,
    passphrase: PathBuf,
}

impl Store {
    async fn new() -> Self {
        let root = tempfile::tempdir().expect("tempdir");
        let key = MasterKey::generate_base64().expect("key");
        let mut vars = own_store_of(Profile::Embedded, &root.path().join("live"), &key).await;
        vars.push(("HAVEN_MASTER_KEY".to_owned(), key.clone()));
        let passphrase = root.path().join("passphrase");
        write_private(&passphrase, &format!("{PASSPHRASE}\n"));
        Self {
            root,
            vars,
            key,
            passphrase,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn live_dir(&self) -> PathBuf {
        self.path("live")
    }

    /// The store's variables with `more` replacing some.
    fn with(&self, more: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut all = self.vars.clone();
        for (k, v) in more {
            all.retain(|(key, _)| key != k);
            all.push(((*k).to_owned(), (*v).to_owned()));
        }
        all
    }

    /// A server on the store (or, with `HAVEN_DATA_DIR` in `more`, on another directory).
    async fn serve(&self, more: &[(&str, &str)]) -> TestApp {
        let vars = self.with(more);
        let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        spawn_app_with(&pairs).await
    }

    async fn backup(&self, out: &Path) -> Output {
        backup_with(self.with(&[]), out, &self.passphrase).await
    }

    async fn restore(&self, from: &Path, into: &Path, more: &[(&str, &str)]) -> Output {
        let passphrase = self.passphrase.display().to_string();
        let mut vars = self.with(more);
        if !more
            .iter()
            .any(|(k, _)| *k == "HAVEN_BACKUP_PASSPHRASE_FILE")
        {
            vars.push(("HAVEN_BACKUP_PASSPHRASE_FILE".to_owned(), passphrase));
        }
        haven(
            vars,
            &[
                "restore",
                "--from",
                &from.display().to_string(),
                "--into",
                &into.display().to_string(),
            ],
        )
        .await
    }
}

fn write_private(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
}

/// `haven backup --out OUT --passphrase-file PASSPHRASE` with `vars`.
async fn backup_with(vars: Vec<(String, String)>, out: &Path, passphrase: &Path) -> Output {
    haven(
        vars,
        &[
            "backup",
            "--out",
            &out.display().to_string(),
            "--passphrase-file",
            &passphrase.display().to_string(),
        ],
    )
    .await
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn succeeded(output: &Output, what: &str) -> String {
    let (stdout, stderr) = text(output);
    assert!(output.status.success(), "{what} failed: {stdout}\n{stderr}");
    stdout
}

/// Asserts `haven` refused with a message holding `needle`, and returns that message.
fn refused(output: &Output, needle: &str, what: &str) -> String {
    let (stdout, stderr) = text(output);
    assert!(!output.status.success(), "{what} must be refused: {stdout}");
    assert!(
        stderr.contains(needle),
        "{what}: the message names the cause ({needle}): {stderr}"
    );
    stderr
}

fn mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}

/// Names of the files in `dir`.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn details(name: &str) -> Value {
    json!({
        "identity": {"legal_given_name": name, "legal_family_name": "Backupova", "date_of_birth": "1996-05-04"},
        "gender": "female", "nationality": "MD", "languages": ["ro"],
        "exploitation_types": ["forced_labour"], "trafficking_status": "possible"
    })
}

fn marker() -> String {
    format!("Bk{}", &uuid::Uuid::now_v7().simple().to_string()[22..])
}

async fn read_client(app: &TestApp, token: &str, id: &str) -> Value {
    let response = app.get_as(&format!("/api/v1/clients/{id}"), token).await;
    assert_eq!(response.status().as_u16(), 200, "client {id}");
    response.json().await.expect("json")
}

/// A store with a server on it, a fresh organisation and a case worker's token.
async fn serving_store() -> (Store, TestApp, Fixture, String) {
    let store = Store::new().await;
    let app = store.serve(&[]).await;
    let fixture = app.onboard().await;
    let token = app
        .add_user(&fixture, &["case_worker"])
        .await
        .1
        .access_token;
    (store, app, fixture, token)
}

/// A committed registration: client id, case id, given name.
type Registered = (String, String, String);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_restores_every_record_committed_before_it() {
    let (store, app, fixture, token) = serving_store().await;

    // Arrange: a case worker registers clients without a pause, before, during and after the
    // backup.
    let committed: Arc<Mutex<Vec<Registered>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (committed, stop) = (committed.clone(), stop.clone());
        let (client, address) = (app.client.clone(), app.address.clone());
        let load = TestApp {
            address,
            client,
            state: app.state.clone(),
        };
        let prefix = marker();
        tokio::spawn(async move {
            // At most one page of clients, so the restored list is read in one request.
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && i < 190 {
                let name = format!("{prefix}n{i}");
                let created = register(&load, &token, details(&name)).await;
                committed.lock().expect("lock").push((
                    created["client"]["id"].as_str().expect("id").to_owned(),
                    created["case_id"].as_str().expect("case").to_owned(),
                    name,
                ));
                i += 1;
            }
        })
    };
    while committed.lock().expect("lock").len() < 5 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Act: back up while the writes go on.
    let before: Vec<Registered> = committed.lock().expect("lock").clone();
    let file = store.path("haven.backup");
    let output = store.backup(&file).await;
    let during = committed.lock().expect("lock").len() - before.len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    writer.await.expect("the writes all succeeded");
    let all = committed.lock().expect("lock").clone();
    assert!(during > 0, "writes were committed while the backup ran");

    let stdout = succeeded(&output, "backup");
    assert!(stdout.contains("backup written to"), "{stdout}");
    let (_, stderr) = text(&output);
    assert!(stderr.contains("sealed"), "a final progress line: {stderr}");
    assert_eq!(mode(&file), 0o600, "the backup is owner-only");
    let leftovers: Vec<String> = files_in(&store.live_dir())
        .into_iter()
        .filter(|f| f.starts_with(".backup-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no plain snapshot is left: {leftovers:?}"
    );
    assert_eq!(
        files_in(store.root.path())
            .iter()
            .filter(|f| f.ends_with(".partial"))
            .count(),
        0,
        "no partial file is left"
    );
    let sealed = std::fs::read(&file).expect("read");
    for (_, _, name) in &before {
        assert!(
            !sealed.windows(name.len()).any(|w| w == name.as_bytes()),
            "no name in clear in the backup"
        );
    }

    // Restore into a fresh directory and serve it with the same master key.
    let restored_dir = store.path("restored");
    let output = store.restore(&file, &restored_dir, &[]).await;
    let stdout = succeeded(&output, "restore");
    assert!(stdout.contains("integrity ok"), "{stdout}");
    assert!(stdout.contains("(current) is configured"), "{stdout}");
    assert_eq!(mode(&restored_dir.join("haven.db")), 0o600);
    let restored_path = restored_dir.display().to_string();
    let restored = store
        .serve(&[("HAVEN_DATA_DIR", restored_path.as_str())])
        .await;
    let admin = restored
        .login(&fixture.admin_email, FIXTURE_PASSWORD, Some(&fixture.slug))
        .await
        .access_token;
    for (id, case, name) in &before {
        let read = read_client(&restored, &admin, id).await;
        assert_eq!(
            read["details"]["identity"]["legal_given_name"],
            name.as_str(),
            "client {id}, committed before the backup, reads back"
        );
        let response = restored
            .get_as(&format!("/api/v1/cases/{case}"), &admin)
            .await;
        assert_eq!(response.status().as_u16(), 200, "case {case} is there");
    }
    let listed: Value = restored
        .get_as("/api/v1/clients?limit=200", &admin)
        .await
        .json()
        .await
        .expect("json");
    let count = listed["items"].as_array().expect("items").len();
    assert!(
        (before.len()..=all.len()).contains(&count),
        "the snapshot holds a prefix of the writes: {count} of {} (at least {}; {during} during the backup)",
        all.len(),
        before.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_erases_again_the_clients_erased_after_the_backup_was_taken() {
    let (store, app, fixture, token) = serving_store().await;
    let (kept_name, erased_name) = (marker(), marker());
    let kept = register(&app, &token, details(&kept_name)).await["client"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let erased = register(&app, &token, details(&erased_name)).await["client"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let file = store.path("before-erasure.backup");
    succeeded(&store.backup(&file).await, "backup");

    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/clients/{erased}/erasure"),
            &fixture.admin.access_token,
        )
        .json(&json!({"reason": "The client asked to be forgotten."}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201, "erasure");

    // The backup from before the erasure, restored with the live ledger.
    let restored_dir = store.path("restored");
    let output = store.restore(&file, &restored_dir, &[]).await;
    let stdout = succeeded(&output, "restore");
    assert!(
        stdout.contains("1 erased client(s) listed, 1 erased again"),
        "{stdout}"
    );
    let (_, stderr) = text(&output);
    for name in [&kept_name, &erased_name] {
        assert!(
            !stdout.contains(name.as_str()) && !stderr.contains(name.as_str()),
            "no name is printed"
        );
    }

    // In the restored file itself, before any server opens it: the data key is gone again.
    let restored_path = restored_dir.display().to_string();
    let settings =
        crate::helpers::settings_with(&store.with(&[("HAVEN_DATA_DIR", &restored_path)]), &[]);
    let conn = haven_api::db::connect(&settings).await.expect("open");
    let tenant = TenantId::from_uuid(fixture.id.parse().expect("uuid"));
    let txn = begin_scoped(&conn, tenant).await.expect("txn");
    let erased_id: uuid::Uuid = erased.parse().expect("uuid");
    let keys = client_key::Entity::scoped(tenant)
        .filter(client_key::Column::ClientId.eq(erased_id))
        .all(&txn)
        .await
        .expect("keys");
    let row = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(erased_id))
        .one(&txn)
        .await
        .expect("client")
        .expect("the tombstone is there");
    txn.commit().await.expect("commit");
    conn.close().await.ok();
    assert!(keys.is_empty(), "the erased client's data key is destroyed");
    assert!(row.identity_sealed.is_none() && row.erased_at.is_some());
    // The re-application is audited, and the restored audit chain verifies.
    let verified = haven(
        store.with(&[("HAVEN_DATA_DIR", &restored_path)]),
        &["audit", "verify", "--tenant", &fixture.slug],
    )
    .await;
    let stdout = succeeded(&verified, "audit verify on the restored copy");
    assert!(stdout.contains("intact"), "{stdout}");

    // And served: the erased identity is unreadable, the other client reads back.
    let restored = store
        .serve(&[("HAVEN_DATA_DIR", restored_path.as_str())])
        .await;
    let admin = restored
        .login(&fixture.admin_email, FIXTURE_PASSWORD, Some(&fixture.slug))
        .await
        .access_token;
    let gone = read_client(&restored, &admin, &erased).await;
    assert!(gone["erased_at"].is_string(), "{gone}");
    assert!(gone["details"]["identity"]["legal_given_name"].is_null());
    assert!(!gone.to_string().contains(erased_name.as_str()));
    let back = read_client(&restored, &admin, &kept).await;
    assert_eq!(
        back["details"]["identity"]["legal_given_name"],
        kept_name.as_str()
    );
    assert!(back["erased_at"].is_null());
}

#[tokio::test]
async fn wrong_passphrases_altered_files_missing_keys_and_occupied_directories_are_refused() {
    let store = Store::new().await;
    let file = store.path("haven.backup");
    succeeded(&store.backup(&file).await, "backup");
    let sealed = std::fs::read(&file).expect("read");

    // A wrong passphrase: nothing is written.
    let wrong = store.path("wrong-passphrase");
    write_private(&wrong, "not the passphrase at all\n");
    let wrong = wrong.display().to_string();
    let target = store.path("r-wrong");
    let output = store
        .restore(
            &file,
            &target,
            &[("HAVEN_BACKUP_PASSPHRASE_FILE", wrong.as_str())],
        )
        .await;
    refused(&output, "wrong passphrase", "a wrong passphrase");
    assert!(!target.exists(), "nothing written for a wrong passphrase");

    // A truncated file, a file cut at its end, a changed byte: refused, nothing left behind.
    let cases: [(&str, Vec<u8>); 3] = [
        ("truncated", sealed[..sealed.len() / 2].to_vec()),
        ("cut", sealed[..sealed.len() - 1].to_vec()),
        ("altered", {
            let mut altered = sealed.clone();
            let at = altered.len() * 3 / 4;
            altered[at] ^= 0x40;
            altered
        }),
    ];
    for (what, bytes) in cases {
        let damaged = store.path(&format!("{what}.backup"));
        std::fs::write(&damaged, bytes).expect("write");
        let target = store.path(&format!("r-{what}"));
        let output = store.restore(&damaged, &target, &[]).await;
        let (stdout, stderr) = text(&output);
        assert!(!output.status.success(), "{what}: {stdout}");
        assert!(
            stderr.contains("truncated") || stderr.contains("altered"),
            "{what}: {stderr}"
        );
        assert!(!target.exists(), "{what}: nothing written");
    }
    // Into an empty directory that exists: it stays empty.
    let empty = store.path("r-empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let damaged = store.path("altered.backup");
    let output = store.restore(&damaged, &empty, &[]).await;
    assert!(!output.status.success());
    assert!(
        files_in(&empty).is_empty(),
        "the empty directory stays empty"
    );

    // A directory that holds something is refused before anything is opened.
    let occupied = store.path("r-occupied");
    std::fs::create_dir(&occupied).expect("mkdir");
    std::fs::write(occupied.join("notes.txt"), "keep me").expect("write");
    let output = store.restore(&file, &occupied, &[]).await;
    refused(&output, "not empty", "a directory that is not empty");
    assert_eq!(files_in(&occupied), vec!["notes.txt".to_owned()]);

    // Without the master key the data keys are wrapped under: refused, naming the key.
    let id = MasterKey::from_base64(&store.key)
        .expect("key")
        .id()
        .to_owned();
    let other = MasterKey::generate_base64().expect("key");
    let target = store.path("r-other-key");
    let output = store
        .restore(&file, &target, &[("HAVEN_MASTER_KEY", other.as_str())])
        .await;
    refused(&output, &id, "a restore without the backup's master key");
    assert!(!target.exists(), "nothing written without the master key");

    // A short passphrase, or none, is refused and writes no backup.
    let short = store.path("short-passphrase");
    write_private(&short, "too short\n");
    let out = store.path("never.backup");
    let output = backup_with(store.with(&[]), &out, &short).await;
    refused(&output, "shorter than 12", "a short passphrase");
    let output = haven(
        store.with(&[]),
        &["backup", "--out", &out.display().to_string()],
    )
    .await;
    refused(&output, "no passphrase", "no passphrase");
    assert!(!out.exists(), "no backup written");
}

#[tokio::test]
async fn on_postgresql_haven_backup_refuses_and_points_at_pg_dump() {
    let root = tempfile::tempdir().expect("tempdir");
    let passphrase = root.path().join("passphrase");
    write_private(&passphrase, PASSPHRASE);
    let key = MasterKey::generate_base64().expect("key");
    // This run's PostgreSQL database when there is one; otherwise a URL no one listens on (the
    // refusal comes before any connection).
    let vars: Vec<(String, String)> = if env().profile == Profile::Postgres {
        Vec::new()
    } else {
        vec![
            (
                "DATABASE_URL".to_owned(),
                "postgres://haven_app@127.0.0.1:9/haven".to_owned(),
            ),
            ("HAVEN_MASTER_KEY".to_owned(), key),
        ]
    };
    let out = root.path().join("haven.backup");
    let output = backup_with(vars, &out, &passphrase).await;
    let message = refused(&output, "pg_dump", "haven backup on PostgreSQL");
    assert!(message.contains("README"), "{message}");
    assert!(!out.exists(), "nothing written");
}
