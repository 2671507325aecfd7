//! Forged and tampered access tokens: every one is a 401 problem, and no key is ever taken
//! from a token header.

use crate::helpers::{DEMO_PASSWORD, Profile, TestApp, assert_problem, env, spawn_app};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::EncodePrivateKey as _;
use haven_domain::crypto::MasterKey;
use haven_domain::entities::signing_key;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::{EntityTrait as _, QueryOrder as _};
use serde_json::{Value, json};

/// The real signing key, read the way the server reads it, so forged tokens carry a valid
/// signature and only the property under test is wrong.
async fn signing_key(app: &TestApp) -> (String, EncodingKey, [u8; 32]) {
    let master = match env().profile {
        Profile::Postgres => MasterKey::from_base64(&env().master_key).expect("key"),
        Profile::Embedded => {
            MasterKey::load(&env().dir.join("data").join("master.key")).expect("key file")
        }
    };
    let row = signing_key::Entity::find()
        .order_by_desc(signing_key::Column::CreatedAt)
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("a signing key");
    let seed: [u8; 32] = haven_domain::sealed::open(
        &master,
        &format!("haven:signing-key:{}", row.kid),
        &row.sealed_private_key,
    )
    .expect("open")
    .try_into()
    .expect("32 bytes");
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    let der = signing.to_pkcs8_der().expect("der");
    (
        row.kid,
        EncodingKey::from_ed_der(der.as_bytes()),
        signing.verifying_key().to_bytes(),
    )
}

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).expect("positive")
}

/// The claims of a real token of `case_worker@demo-be.example`.
async fn real_claims(app: &TestApp) -> (String, Value) {
    let tokens = app
        .login("case_worker@demo-be.example", DEMO_PASSWORD, None)
        .await;
    let payload = tokens
        .access_token
        .split('.')
        .nth(1)
        .expect("payload")
        .to_owned();
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
    (tokens.access_token, claims)
}

fn sign(header: &Header, claims: &Value, key: &EncodingKey) -> String {
    jsonwebtoken::encode(header, claims, key).expect("sign")
}

fn eddsa(kid: &str) -> Header {
    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = Some("at+jwt".into());
    header.kid = Some(kid.into());
    header
}

/// A token from raw JSON header and claims, signed (or not) by hand.
fn raw(header: &Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

#[tokio::test]
async fn a_correctly_forged_token_is_accepted_so_the_refusals_below_mean_something() {
    let app = spawn_app().await;
    let (kid, key, _) = signing_key(&app).await;
    let (_, mut claims) = real_claims(&app).await;
    claims["jti"] = json!(uuid::Uuid::now_v7());
    let token = sign(&eddsa(&kid), &claims, &key);
    assert_eq!(
        app.get_as("/api/v1/me", &token).await.status().as_u16(),
        200
    );
}

/// The server remembers tokens it has checked; that memory must not outlive the token.
#[tokio::test]
async fn a_token_accepted_before_is_refused_once_it_expires() {
    let app = spawn_app().await;
    let (kid, key, _) = signing_key(&app).await;
    let (_, mut claims) = real_claims(&app).await;
    let t = now();
    claims["jti"] = json!(uuid::Uuid::now_v7());
    claims["iat"] = json!(t);
    claims["nbf"] = json!(t);
    claims["exp"] = json!(t + 1);
    let token = sign(&eddsa(&kid), &claims, &key);
    for _ in 0..2 {
        assert_eq!(
            app.get_as("/api/v1/me", &token).await.status().as_u16(),
            200
        );
    }
    // Past the expiry and the five seconds of leeway for clock skew.
    tokio::time::sleep(std::time::Duration::from_secs(7)).await;
    let res = app.get_as("/api/v1/me", &token).await;
    assert_problem(res, 401, "token_expired").await;
}

#[tokio::test]
async fn forged_and_tampered_tokens_are_refused() {
    let app = spawn_app().await;
    let (kid, key, public) = signing_key(&app).await;
    let (real, claims) = real_claims(&app).await;
    let t = now();

    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = claims.clone();
        f(&mut c);
        c
    };
    let mut cases: Vec<(&str, String)> = Vec::new();

    // alg: none, unsigned.
    cases.push((
        "alg none",
        raw(
            &json!({"alg": "none", "typ": "at+jwt", "kid": kid}),
            &claims,
            b"",
        ),
    ));
    // HS256 keyed with the public key (the classic confusion attack).
    let mut hs = Header::new(Algorithm::HS256);
    hs.typ = Some("at+jwt".into());
    hs.kid = Some(kid.clone());
    cases.push((
        "HS256 with the public key",
        sign(&hs, &claims, &EncodingKey::from_secret(&public)),
    ));
    let x = URL_SAFE_NO_PAD.encode(public);
    cases.push((
        "HS256 with the JWK x as secret",
        sign(&hs, &claims, &EncodingKey::from_secret(x.as_bytes())),
    ));
    // Claims that are wrong, validly signed.
    cases.push((
        "expired",
        sign(
            &eddsa(&kid),
            &with(&|c| {
                c["iat"] = json!(t - 1000);
                c["nbf"] = json!(t - 1000);
                c["exp"] = json!(t - 100);
            }),
            &key,
        ),
    ));
    cases.push((
        "not yet valid",
        sign(
            &eddsa(&kid),
            &with(&|c| {
                c["nbf"] = json!(t + 600);
            }),
            &key,
        ),
    ));
    cases.push((
        "wrong audience",
        sign(
            &eddsa(&kid),
            &with(&|c| {
                c["aud"] = json!("someone-else");
            }),
            &key,
        ),
    ));
    cases.push((
        "wrong issuer",
        sign(
            &eddsa(&kid),
            &with(&|c| {
                c["iss"] = json!("https://evil.example");
            }),
            &key,
        ),
    ));
    cases.push((
        "lives too long",
        sign(
            &eddsa(&kid),
            &with(&|c| {
                c["exp"] = json!(t + 86_400);
            }),
            &key,
        ),
    ));
    cases.push((
        "no tenant for a user",
        sign(
            &eddsa(&kid),
            &with(&|c| {
                c.as_object_mut().expect("object").remove("tid");
            }),
            &key,
        ),
    ));
    // Headers that are wrong.
    let mut wrong_typ = eddsa(&kid);
    wrong_typ.typ = Some("JWT".into());
    cases.push(("wrong typ", sign(&wrong_typ, &claims, &key)));
    let mut no_typ = eddsa(&kid);
    no_typ.typ = None;
    cases.push(("no typ", sign(&no_typ, &claims, &key)));
    cases.push(("unknown kid", sign(&eddsa("k-unknown"), &claims, &key)));
    let mut no_kid = eddsa(&kid);
    no_kid.kid = None;
    cases.push(("no kid", sign(&no_kid, &claims, &key)));
    let mut jku = eddsa(&kid);
    jku.jku = Some("https://evil.example/jwks.json".into());
    cases.push(("jku header", sign(&jku, &claims, &key)));
    let mut x5u = eddsa(&kid);
    x5u.x5u = Some("https://evil.example/cert.pem".into());
    cases.push(("x5u header", sign(&x5u, &claims, &key)));

    // An attacker's own key, announced in the header.
    let attacker = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let attacker_der = attacker.to_pkcs8_der().expect("der");
    let attacker_key = EncodingKey::from_ed_der(attacker_der.as_bytes());
    let attacker_x = URL_SAFE_NO_PAD.encode(attacker.verifying_key().to_bytes());
    let jwk_header = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": kid,
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": attacker_x}});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(jwk_header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    use ed25519_dalek::Signer as _;
    let sig = attacker.sign(signing_input.as_bytes()).to_bytes();
    cases.push((
        "embedded jwk",
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)),
    ));
    cases.push((
        "signed by another key",
        sign(&eddsa(&kid), &claims, &attacker_key),
    ));

    // A real token with its payload changed (roles raised) and its signature kept.
    let parts: Vec<&str> = real.split('.').collect();
    let raised = with(&|c| {
        c["roles"] = json!(["tenant_admin"]);
    });
    cases.push((
        "tampered payload",
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(raised.to_string()),
            parts[2]
        ),
    ));
    cases.push(("truncated", parts[..2].join(".")));

    for (name, token) in cases {
        let response = app.get_as("/api/v1/me", &token).await;
        assert_eq!(response.status().as_u16(), 401, "{name}");
        let code = if name == "expired" {
            "token_expired"
        } else {
            "invalid_token"
        };
        assert_problem(response, 401, code).await;
    }
}

#[tokio::test]
async fn rotated_keys_keep_old_tokens_valid_and_are_published() {
    let app = spawn_app().await;
    let tokens = app
        .login("trainer@demo-ng.example", DEMO_PASSWORD, None)
        .await;
    let before: Value = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .expect("json");
    haven_domain::tokens::rotate_signing_keys(&app.state.db, &app.state.master_key)
        .await
        .expect("rotate");
    // A fresh server loads the new key and still accepts the old token.
    let fresh = spawn_app().await;
    let after: Value = fresh
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .expect("json");
    let kids = |v: &Value| -> Vec<String> {
        v["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .map(|k| k["kid"].as_str().expect("kid").to_owned())
            .collect()
    };
    for kid in kids(&before) {
        assert!(
            kids(&after).contains(&kid),
            "the retired key {kid} stays published"
        );
    }
    assert!(
        kids(&after).len() > kids(&before).len(),
        "the new key is published"
    );
    assert_eq!(
        fresh
            .get_as("/api/v1/me", &tokens.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
    let new_tokens = fresh
        .login("trainer@demo-ng.example", DEMO_PASSWORD, None)
        .await;
    // The server that loaded before the rotation learns the new key when it sees its kid.
    assert_eq!(
        app.get_as("/api/v1/me", &new_tokens.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
}
