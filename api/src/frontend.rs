//! Serving the web app's production build from the API process, so the embedded profile is one
//! process with a UI at `/`. Files of the build are served as they are (hashed `assets/` for a
//! year, everything else revalidated), any other path outside the API's own prefixes gets
//! `index.html` so the app's client-side routes survive a reload, and every answer carries the
//! browser security headers the app is built to live with (no inline script, no framing).

use crate::error::ApiError;
use actix_files::NamedFile;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use std::path::{Path, PathBuf};

/// The build being served.
#[derive(Debug, Clone)]
pub struct Site {
    dir: PathBuf,
}

impl Site {
    #[must_use]
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }
}

/// Paths that belong to the API: never answered with the app, so a wrong API URL stays a 404
/// problem instead of becoming an HTML page.
const API_PREFIXES: &[&str] = &["/api", "/health", "/metrics", "/.well-known"];

/// The app runs only its own bundled script and style sheets; Mantine sets element styles at run
/// time, hence `'unsafe-inline'` for styles (never for scripts).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

fn is_api_path(path: &str) -> bool {
    API_PREFIXES
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

/// The request path as a path inside the build, or `None` when it tries to leave it or names
/// hidden files.
fn relative(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains('\\') || segment.contains('\0') {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

fn secure(response: &mut HttpResponse, cache: &'static str) {
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ] {
        headers.insert(
            header::HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
}

async fn file(
    req: &HttpRequest,
    path: &Path,
    cache: &'static str,
) -> Result<HttpResponse, ApiError> {
    let named = NamedFile::open_async(path)
        .await
        .map_err(|_| ApiError::NotFound)?;
    let mut response = named.prefer_utf8(true).into_response(req);
    secure(&mut response, cache);
    Ok(response)
}

/// The default service: the build's files, `index.html` for client routes, and a 404 problem
/// for anything else (or for everything, when no build is configured).
///
/// # Errors
/// 404 when the path is the API's, a missing file, or no build is served.
pub async fn serve(
    req: HttpRequest,
    site: Option<web::Data<Site>>,
) -> Result<HttpResponse, ApiError> {
    let Some(site) = site else {
        return Err(ApiError::NotFound);
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) || is_api_path(req.path()) {
        return Err(ApiError::NotFound);
    }
    let rel = relative(req.path()).ok_or(ApiError::NotFound)?;
    let candidate = site.dir.join(&rel);
    if !rel.as_os_str().is_empty() && candidate.is_file() {
        let cache = if rel.starts_with("assets") {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        return file(&req, &candidate, cache).await;
    }
    // A missing file (it has an extension) is a 404, not the app: a stale asset URL must fail
    // loudly rather than be answered with HTML.
    if rel.extension().is_some() {
        return Err(ApiError::NotFound);
    }
    file(&req, &site.dir.join("index.html"), REVALIDATE).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_are_never_the_app() {
        for path in [
            "/api",
            "/api/v1/nope",
            "/health",
            "/health/x",
            "/metrics",
            "/.well-known/x",
        ] {
            assert!(is_api_path(path), "{path}");
        }
        for path in ["/", "/apiary", "/healthy", "/cases/1"] {
            assert!(!is_api_path(path), "{path}");
        }
    }

    #[test]
    fn paths_cannot_leave_the_build() {
        assert_eq!(relative("/assets/a.js"), Some(PathBuf::from("assets/a.js")));
        assert_eq!(relative("/"), Some(PathBuf::new()));
        assert_eq!(relative("/../etc/passwd"), None);
        assert_eq!(relative("/.env"), None);
        assert_eq!(relative("/a\\..\\b"), None);
    }
}
