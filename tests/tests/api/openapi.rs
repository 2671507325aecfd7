//! The OpenAPI contract: served, committed, and the same.

use crate::helpers::spawn_app;

fn committed() -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let text = std::fs::read_to_string(&path).expect("openapi/openapi.json is committed");
    serde_json::from_str(&text).expect("the committed document is JSON")
}

#[test]
fn the_committed_document_matches_the_code() {
    let produced = serde_json::to_value(haven_api::openapi::document()).expect("serialise");
    assert!(
        produced == committed(),
        "openapi/openapi.json is stale: run `cargo run -p haven-openapi` and commit the result"
    );
}

#[tokio::test]
async fn the_server_serves_the_committed_document() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status().as_u16(), 200);
    let served: serde_json::Value = response.json().await.expect("json");
    assert!(
        served == committed(),
        "the served document differs from openapi/openapi.json"
    );
    assert_eq!(served["openapi"], "3.1.0");
    assert!(
        served["components"]["schemas"]["Problem"].is_object(),
        "problem schema"
    );
    assert_eq!(
        served["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(served["paths"]["/health/ready"]["get"]["responses"]["503"].is_object());
}

#[tokio::test]
async fn interactive_docs_are_served_from_vendored_assets() {
    let app = spawn_app().await;
    let redirect = app.get("/api/docs").await;
    assert_eq!(redirect.status().as_u16(), 308);
    assert_eq!(redirect.headers()["location"], "/api/docs/");

    let page = app.get("/api/docs/").await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    // Every asset the page loads is served by Haven itself.
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        assert!(html.contains(asset), "page loads {asset}");
        let response = app.get(&format!("/api/docs/{asset}")).await;
        assert_eq!(response.status().as_u16(), 200, "{asset}");
        let text = response.text().await.expect("asset");
        assert!(text.len() > 100, "{asset} has content");
        if asset == "swagger-initializer.js" {
            assert!(
                text.contains("/api/v1/openapi.json"),
                "docs point at the served spec"
            );
        }
    }
    assert!(
        !html.contains("https://"),
        "no asset comes from the internet"
    );
}
