//! The portal's revocation policy against the real binary: a signer made at run time whose
//! certificate names a CRL distribution point (as every real CA's does) is accepted when the
//! portal is given the CAs' CRL folder (`serve --crl-dir`) or can fetch the CRL online (the
//! default), refused as `signature_untrusted` ("revocation not checked") when it can do neither,
//! and refused as `signature_invalid` when the folder's CRL lists the signer.

mod common;

#[path = "../../tests/support/runtime_pki.rs"]
mod runtime_pki;

use std::path::Path;

use common::*;
use runtime_pki::{CrlServer, TestSigner, free_port, make_crl};

/// Starts a portal with `args`, uploads `pdf` and submits it; (HTTP status, answer).
async fn submit_to_portal(dir: &Path, args: &[&str], pdf: &[u8]) -> (u16, serde_json::Value) {
    let data = dir.join(format!("portal-{}", free_port()));
    let token = create_token(&data, "H56.14", false);
    let portal = Portal::start(&data, args);
    let client = reqwest::Client::new();
    let tus = Tus {
        client: &client,
        url: &portal.url,
        token: &token,
    };
    let id = tus.upload(pdf, "to-khai.pdf", 1 << 20).await;
    let dossier = dossier_json("H56.14-261127-0001", &[(&id, "to-khai.pdf")]);
    let (status, body) = submit(&client, &portal.url, &token, "dossier-0001", &dossier).await;
    (status, json(&body))
}

/// A folder like a CA publication mirror: the root's CRL (covers the intermediate) and the
/// intermediate's CRL listing `revoked` serials.
fn crl_folder(dir: &Path, revoked: &[&str]) -> String {
    let folder = dir.join(format!("crls-{}", revoked.len()));
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(
        fixtures().join("signed/root.crl.pem"),
        folder.join("root.crl.pem"),
    )
    .unwrap();
    std::fs::write(folder.join("inter.crl"), make_crl(false, revoked, None)).unwrap();
    std::fs::write(folder.join("README.txt"), "not a CRL, skipped").unwrap();
    folder.display().to_string()
}

#[tokio::test]
async fn a_signer_naming_a_crl_source_is_accepted_with_the_crl_folder_or_online() {
    let dir = tempfile::tempdir().unwrap();
    // The distribution point names a port nothing listens on: only the folder can answer.
    let dead = format!("http://127.0.0.1:{}/inter.crl", free_port());
    let signer = TestSigner::new(0x1201, Some(&dead), None);
    let pdf = signer.sign();

    let folder = crl_folder(dir.path(), &[]);
    let (status, answer) = submit_to_portal(dir.path(), &["--crl-dir", &folder], &pdf).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["data"]["TrangThaiHoSo"], 2, "{answer}");

    // Neither a folder nor a reachable source: revocation unknown, refused with the reason.
    let root_crl = fixtures().join("signed/root.crl.pem").display().to_string();
    let (status, answer) = submit_to_portal(dir.path(), &["--crl", &root_crl], &pdf).await;
    assert_eq!(status, 422, "{answer}");
    let message = answer.to_string();
    assert!(message.contains("signature_untrusted"), "{message}");
    assert!(message.contains("revocation not checked"), "{message}");
    assert!(message.contains(&dead), "{message}");

    // Online is the default: a signer whose distribution point is served is accepted without a
    // folder, and `--offline` turns that off.
    let server = CrlServer::start(make_crl(false, &[], None));
    let online = TestSigner::new(0x1202, Some(&server.url()), None).sign();
    let (status, answer) = submit_to_portal(dir.path(), &["--crl", &root_crl], &online).await;
    assert_eq!(status, 201, "{answer}");
    let (status, answer) =
        submit_to_portal(dir.path(), &["--crl", &root_crl, "--offline"], &online).await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer.to_string().contains("offline"), "{answer}");
}

#[tokio::test]
async fn a_signer_listed_in_the_folders_crl_is_refused_as_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let dead = format!("http://127.0.0.1:{}/inter.crl", free_port());
    let pdf = TestSigner::new(0x1203, Some(&dead), None).sign();
    let folder = crl_folder(dir.path(), &[&TestSigner::index_serial(0x1203)]);
    let (status, answer) = submit_to_portal(dir.path(), &["--crl-dir", &folder], &pdf).await;
    assert_eq!(status, 422, "{answer}");
    let message = answer.to_string();
    assert!(message.contains("signature_invalid"), "{message}");
    assert!(message.contains("was revoked on"), "{message}");
}
