//! Server-level behaviour of the real portal process: authentication (401 and its log line, token
//! revocation), the loopback-only rule for plain HTTP, and fault injection.

mod common;

use common::*;

#[tokio::test]
async fn requests_without_a_valid_token_get_401_and_a_log_line() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let portal = Portal::start(&data, &[]);
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/dossiers?changed_since=0", portal.url);

    let missing = client.get(&url).send().await.unwrap();
    assert_eq!(missing.status().as_u16(), 401);
    assert!(missing.headers().contains_key("www-authenticate"));
    assert_eq!(json(&missing.bytes().await.unwrap())["error_code"], 1001);
    assert_eq!(
        client
            .get(&url)
            .bearer_auth("mcp_forged")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );

    let (ok, _, stderr) = cli(&data, &["token", "revoke", &token]);
    assert!(ok, "{stderr}");
    assert_eq!(
        client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );

    let log = portal.log();
    assert_eq!(
        log.matches("unauthorized request refused").count(),
        3,
        "{log}"
    );
    assert!(log.contains("missing bearer token") && log.contains("unknown or revoked token"));
    assert!(!log.contains(&token), "the log must not contain tokens");
}

#[test]
fn plain_http_on_a_non_loopback_address_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = cli(
        &temp.path().join("portal"),
        &["serve", "--bind", "0.0.0.0:0"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("refusing to serve plain HTTP on non-loopback address"),
        "{stderr}"
    );
}

#[tokio::test]
async fn fault_injection_answers_503_with_retry_after() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let portal = Portal::start(&data, &["--fail-rate", "1", "--retry-after", "3"]);
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/dossiers", portal.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "3");
    assert_eq!(json(&response.bytes().await.unwrap())["error_code"], 1014);
}

#[tokio::test]
async fn a_dropped_acknowledgement_is_recovered_by_an_idempotent_retry() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let client = reqwest::Client::new();
    let file = signed_pdf(3000, 1);
    // Upload on a healthy portal, then submit to one that drops every answer after processing.
    let healthy = Portal::start(&data, &[]);
    let id = Tus {
        client: &client,
        url: &healthy.url,
        token: &token,
    }
    .upload(&file, "a.pdf", 1000)
    .await;
    healthy.kill();
    let lossy = Portal::start(&data, &["--drop-ack-rate", "1"]);
    let dossier = dossier_json("H56.14-261127-0300", &[(&id, "a.pdf")]);
    let (status, _) = submit(&client, &lossy.url, &token, "k-300", &dossier).await;
    assert_eq!(status, 503);
    lossy.kill();
    let healthy = Portal::start(&data, &[]);
    let response = client
        .post(format!("{}/api/v1/dossiers", healthy.url))
        .bearer_auth(&token)
        .header("Idempotency-Key", "k-300")
        .json(&dossier)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    // The dossier was accepted while the answer was being dropped: the retry gets the stored answer.
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    let body = json(&response.bytes().await.unwrap());
    assert_eq!(body["data"]["MaHoSo"], "H56.14-261127-0300");
    assert_eq!(body["data"]["revision"], 1, "accepted exactly once");
}

/// Makes a self-signed certificate for 127.0.0.1 with openssl; returns (cert, key) paths.
fn self_signed_certificate(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let status = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .args([
            "-days",
            "2",
            "-subj",
            "/CN=motcua-portal test",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "openssl req failed");
    (cert, key)
}

#[test]
fn https_with_a_configured_certificate_serves_the_api() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let (cert, key) = self_signed_certificate(temp.path());
    let portal = Portal::start(
        &data,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(portal.url.starts_with("https://"), "{}", portal.url);
    let output = std::process::Command::new("curl")
        .args([
            "-sS",
            "--cacert",
            cert.to_str().unwrap(),
            "-H",
            &format!("Authorization: Bearer {token}"),
        ])
        .arg(format!("{}/api/v1/dossiers?changed_since=0", portal.url))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "curl: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let body = json(&output.stdout);
    assert_eq!(body["error_code"], 0);
    assert_eq!(body["next_changed_since"], 0);

    // The same port does not speak plain HTTP.
    let plain = portal.url.replacen("https://", "http://", 1);
    let output = std::process::Command::new("curl")
        .args(["-sS", "--max-time", "5"])
        .arg(format!("{plain}/healthz"))
        .output()
        .unwrap();
    assert_ne!(String::from_utf8_lossy(&output.stdout), "ok");
}

#[test]
fn a_broken_certificate_file_is_reported_by_name() {
    let temp = tempfile::tempdir().unwrap();
    let cert = temp.path().join("cert.pem");
    std::fs::write(&cert, "not a certificate").unwrap();
    let (ok, _, stderr) = cli(
        &temp.path().join("portal"),
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            cert.to_str().unwrap(),
        ],
    );
    assert!(!ok);
    assert!(
        stderr.contains("cannot load TLS certificate") && stderr.contains("cert.pem"),
        "{stderr}"
    );
}
