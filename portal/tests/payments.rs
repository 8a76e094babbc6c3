//! The online payment status of a dossier against the real portal process: set by `motcua-portal payment
//! set` and by the admin endpoint, refused when a rule is broken, and reported once in the change feed
//! (`DuocThanhToanTrucTuyen` and the `payment` extension), absent until set.

mod common;

use common::*;

struct Setup {
    _temp: tempfile::TempDir,
    data: std::path::PathBuf,
    portal: Portal,
    client: reqwest::Client,
    token: String,
    admin: String,
}

/// A portal with one accepted dossier `code`; returns the setup and the feed cursor after acceptance.
async fn setup(code: &str) -> (Setup, i64) {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let admin = create_token(&data, "SO-TAI-CHINH", true);
    let portal = Portal::start(&data, &[]);
    let s = Setup {
        _temp: temp,
        data,
        portal,
        client: reqwest::Client::new(),
        token,
        admin,
    };
    let tus = Tus {
        client: &s.client,
        url: &s.portal.url,
        token: &s.token,
    };
    let id = tus.upload(&signed_pdf(3000, 4), "to-khai.pdf", 3000).await;
    let (status, _) = submit(
        &s.client,
        &s.portal.url,
        &s.token,
        &format!("key-{code}"),
        &dossier_json(code, &[(&id, "to-khai.pdf")]),
    )
    .await;
    assert_eq!(status, 201);
    let feed = s.feed(0).await;
    let cursor = feed["next_changed_since"].as_i64().unwrap();
    (s, cursor)
}

impl Setup {
    async fn feed(&self, since: i64) -> serde_json::Value {
        let response = self
            .client
            .get(format!(
                "{}/api/v1/dossiers?changed_since={since}",
                self.portal.url
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        json(&response.bytes().await.unwrap())
    }

    async fn admin_payment(&self, code: &str, token: &str, body: &str) -> (u16, serde_json::Value) {
        let response = self
            .client
            .post(format!(
                "{}/api/v1/admin/dossiers/{code}/payment",
                self.portal.url
            ))
            .bearer_auth(token)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, json(&response.bytes().await.unwrap()))
    }
}

#[tokio::test]
async fn the_cli_sets_a_payment_and_the_feed_reports_it_once() {
    let code = "H56.14-261127-0101";
    let (s, cursor) = setup(code).await;
    // Before any payment status: the feed says nothing about payment.
    let first = s.feed(0).await;
    assert!(first["data"][0].get("payment").is_none(), "{first}");
    assert!(
        first["data"][0].get("DuocThanhToanTrucTuyen").is_none(),
        "{first}"
    );

    // Paid without a receipt number is refused and changes nothing.
    let (ok, _, stderr) = cli(&s.data, &["payment", "set", code, "--status", "paid"]);
    assert!(!ok);
    assert!(stderr.contains("receipt"), "{stderr}");
    assert_eq!(s.feed(cursor).await["data"].as_array().unwrap().len(), 0);

    let (ok, stdout, stderr) = cli(
        &s.data,
        &[
            "payment",
            "set",
            code,
            "--status",
            "paid",
            "--receipt",
            "BLDT-2611-000123",
            "--at",
            "20261127103000",
            "--amount",
            "20000",
        ],
    );
    assert!(ok, "{stderr}");
    let shown = json(stdout.as_bytes());
    assert_eq!(shown["payment"]["status"], "paid");

    let page = s.feed(cursor).await;
    let changes = page["data"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{page}");
    let item = &changes[0];
    assert_eq!(item["MaHoSo"], code);
    assert_eq!(item["TrangThaiHoSo"], 2, "the status is unchanged");
    assert_eq!(item["DuocThanhToanTrucTuyen"], 1);
    assert_eq!(item["payment"]["status"], "paid");
    assert_eq!(item["payment"]["receipt_no"], "BLDT-2611-000123");
    assert_eq!(item["payment"]["paid_at"], "20261127103000");
    assert_eq!(item["payment"]["amount_vnd"], 20000);
    assert!(item["payment"].get("refunded_at").is_none());
    // Seen once: the next poll from the new cursor is empty.
    let after = s.feed(page["next_changed_since"].as_i64().unwrap()).await;
    assert_eq!(after["data"].as_array().unwrap().len(), 0);

    // Refunded keeps the receipt and payment time, and the flag drops to 0.
    let (ok, _, stderr) = cli(
        &s.data,
        &[
            "payment",
            "set",
            code,
            "--status",
            "refunded",
            "--at",
            "20261128090000",
        ],
    );
    assert!(ok, "{stderr}");
    let page = s.feed(page["next_changed_since"].as_i64().unwrap()).await;
    let item = &page["data"][0];
    assert_eq!(item["DuocThanhToanTrucTuyen"], 0);
    assert_eq!(item["payment"]["status"], "refunded");
    assert_eq!(item["payment"]["receipt_no"], "BLDT-2611-000123");
    assert_eq!(item["payment"]["paid_at"], "20261127103000");
    assert_eq!(item["payment"]["refunded_at"], "20261128090000");

    // The history of both changes is in the portal's database.
    let db = rusqlite::Connection::open(s.data.join("portal.sqlite3")).unwrap();
    let history: Vec<String> = db
        .prepare("SELECT payment_status FROM payment_history WHERE ma_ho_so = ?1 ORDER BY rowid")
        .unwrap()
        .query_map([code], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(history, ["paid", "refunded"]);
}

#[tokio::test]
async fn the_admin_endpoint_sets_a_payment_and_refuses_broken_rules() {
    let code = "H56.14-261127-0102";
    let (s, cursor) = setup(code).await;
    let paid = r#"{"status":"paid","receipt_no":"TT-99887766","at":"20261127141500"}"#;

    // An office token may not set payments.
    let (status, body) = s.admin_payment(code, &s.token, paid).await;
    assert_eq!(status, 403, "{body}");
    // Refund before any payment: rule broken.
    let (status, body) = s
        .admin_payment(code, &s.admin, r#"{"status":"refunded"}"#)
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error_code"], 1010);
    // Unknown status, malformed time, unknown field: malformed request.
    for bad in [
        r#"{"status":"settled","receipt_no":"X"}"#,
        r#"{"status":"paid","receipt_no":"X","at":"2026-11-27 14:15"}"#,
        r#"{"status":"paid","receipt_no":"X","SoTien":1}"#,
    ] {
        let (status, body) = s.admin_payment(code, &s.admin, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    // Unknown dossier.
    let (status, _) = s.admin_payment("H56.14-261127-9999", &s.admin, paid).await;
    assert_eq!(status, 404);
    // Nothing above reached the feed.
    assert_eq!(s.feed(cursor).await["data"].as_array().unwrap().len(), 0);

    let (status, body) = s.admin_payment(code, &s.admin, paid).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["payment"]["receipt_no"], "TT-99887766");
    let page = s.feed(cursor).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["DuocThanhToanTrucTuyen"], 1);
    assert_eq!(page["data"][0]["payment"]["paid_at"], "20261127141500");

    // Unpaid clears the record; the object stays (the portal now says "not paid").
    let (status, body) = s
        .admin_payment(code, &s.admin, r#"{"status":"unpaid"}"#)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["DuocThanhToanTrucTuyen"], 0);
    assert_eq!(body["data"]["payment"]["status"], "unpaid");
    assert!(body["data"]["payment"].get("receipt_no").is_none());
}
