//! The `haven` binary as a child process: SIGTERM lets a request in flight finish; a slow
//! client, a huge body and deeply nested JSON are refused or cut off without taking the server
//! down. Runs on both profiles (the child is configured like every server of the run).

use crate::faults::free_port;
use crate::helpers::env;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// The `haven` binary of this build (`cargo test --workspace` builds it fresh, for the
/// integration test in `api/tests/`); built here when missing.
pub fn haven_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    // target/<profile>/deps/api-… → target/<profile>/haven
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target directory");
    let binary = dir.join("haven");
    if !binary.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "haven-api", "--bin", "haven"])
            .status()
            .expect("cargo build");
        assert!(status.success(), "building haven failed");
    }
    binary
}

/// Runs `haven args…` with exactly the variables `vars` (over this run's defaults, an empty
/// value removing one), off the runtime so the server beside it keeps serving.
pub async fn haven(vars: Vec<(String, String)>, args: &[&str]) -> Output {
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let all = env().vars(&pairs);
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(haven_binary())
            .args(&args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(all)
            .output()
            .expect("run haven")
    })
    .await
    .expect("join")
}

/// A `haven serve` child on a free port, killed on drop.
struct Server {
    port: u16,
    child: Child,
}

impl Server {
    fn start(overrides: &[(&str, &str)]) -> Self {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let mut all = vec![("HAVEN_LISTEN", listen.as_str())];
        all.extend_from_slice(overrides);
        let mut command = Command::new(haven_binary());
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env().vars(&all))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let server = Self {
            port,
            child: command.spawn().expect("start haven"),
        };
        for _ in 0..240 {
            if server.get("/health/live").starts_with("HTTP/1.1 200") {
                return server;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!("haven did not start on port {port}");
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        stream
            .set_write_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream
    }

    /// A whole GET, answered as text ("" when the server cannot be reached).
    fn get(&self, path: &str) -> String {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return String::new();
        };
        stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        if stream.write_all(request.as_bytes()).is_err() {
            return String::new();
        }
        let mut answer = String::new();
        stream.read_to_string(&mut answer).ok();
        answer
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Reads until the end of the stream or of the headers and body the server sent.
fn read_answer(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
        let text = String::from_utf8_lossy(&answer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse::<usize>().ok());
            if length.is_some_and(|n| body.len() >= n) {
                break;
            }
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn sigterm_lets_a_request_in_flight_finish_then_the_server_exits() {
    let mut server = Server::start(&[("HAVEN_SHUTDOWN_TIMEOUT", "20")]);
    let body = br#"{"email": "nobody@example.org", "password": "not the password"}"#;
    let mut stream = server.connect();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // Half the request is on the wire when the signal arrives; the rest follows.
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(&body[..10]).expect("half a body");
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    stream.write_all(&body[10..]).expect("the rest of the body");
    let answer = read_answer(&mut stream);
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the request in flight is answered in full: {answer:?}"
    );
    assert!(answer.contains("application/problem+json"), "{answer}");

    // Then the process ends by itself, cleanly.
    let mut exited = None;
    for _ in 0..120 {
        if let Some(status) = server.child.try_wait().expect("wait") {
            exited = Some(status);
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let status = exited.expect("the server exits after SIGTERM");
    assert!(status.success(), "exit status {status}");
    assert!(
        server.get("/health/live").is_empty(),
        "nothing listens any more"
    );
}

#[test]
fn slow_clients_huge_bodies_and_deep_nesting_do_not_exhaust_the_server() {
    let server = Server::start(&[("HAVEN_WORKERS", "1")]);

    // Many clients that send half a request and then nothing: the server still answers
    // others, and closes the slow ones itself.
    let mut slow: Vec<TcpStream> = (0..64)
        .map(|_| {
            let mut stream = server.connect();
            stream
                .write_all(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .expect("half a request");
            stream
        })
        .collect();
    assert!(
        server.get("/health/live").starts_with("HTTP/1.1 200"),
        "served beside slow clients"
    );
    for stream in &mut slow {
        let answer = read_answer(stream);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "a slow client is cut off: {answer:?}"
        );
    }

    // A body far over the limit, announced or streamed: 413, and the server goes on.
    for announced in [true, false] {
        let mut stream = server.connect();
        let size = 64 * 1024 * 1024;
        let head = if announced {
            format!(
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
            )
        } else {
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_owned()
        };
        stream.write_all(head.as_bytes()).expect("head");
        let chunk = vec![b'['; 64 * 1024];
        for _ in 0..(size / chunk.len()) {
            let sent = if announced {
                stream.write_all(&chunk)
            } else {
                stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .and_then(|()| stream.write_all(&chunk))
                    .and_then(|()| stream.write_all(b"\r\n"))
            };
            // The server may stop reading (and close) once it has refused the body.
            if sent.is_err() {
                break;
            }
        }
        let answer = read_answer(&mut stream);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 413"),
            "huge body (announced: {announced}): {}",
            answer.lines().next().unwrap_or_default()
        );
    }

    // JSON nested far deeper than any document, within the size limit: 400.
    let depth = 400_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let mut stream = server.connect();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        nested.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(nested.as_bytes()).expect("body");
    let answer = read_answer(&mut stream);
    assert!(
        answer.starts_with("HTTP/1.1 400"),
        "deep nesting: {answer:?}"
    );
    let nested_object = format!("{}{}", "{\"a\":".repeat(depth / 5), "}".repeat(depth / 5));
    let mut stream = server.connect();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        nested_object.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(nested_object.as_bytes()).expect("body");
    let answer = read_answer(&mut stream);
    assert!(
        answer.starts_with("HTTP/1.1 400"),
        "deep nesting: {answer:?}"
    );

    assert!(
        server.get("/health/live").starts_with("HTTP/1.1 200"),
        "still serving"
    );
}
