//! Dossier submission and back-office status changes against the real portal process: idempotency,
//! validation reasons, status changes by CLI and admin endpoint, polling, and result download.

mod common;

use common::*;

struct Setup {
    _temp: tempfile::TempDir,
    data: std::path::PathBuf,
    portal: Portal,
    client: reqwest::Client,
    token: String,
}

fn setup() -> Setup {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let portal = Portal::start(&data, &[]);
    Setup {
        _temp: temp,
        data,
        portal,
        client: reqwest::Client::new(),
        token,
    }
}

impl Setup {
    fn tus(&self) -> Tus<'_> {
        Tus {
            client: &self.client,
            url: &self.portal.url,
            token: &self.token,
        }
    }

    async fn get(&self, path: &str, token: &str) -> (u16, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.portal.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.bytes().await.unwrap().to_vec(),
        )
    }
}

#[tokio::test]
async fn a_repeated_submission_gets_the_first_answer_byte_for_byte() {
    let s = setup();
    let id = s
        .tus()
        .upload(&signed_pdf(5000, 1), "to-khai.pdf", 2048)
        .await;
    let dossier = dossier_json("H56.14-261127-0001", &[(&id, "to-khai.pdf")]);

    let (first_status, first_body) =
        submit(&s.client, &s.portal.url, &s.token, "dossier-0001", &dossier).await;
    assert_eq!(
        first_status,
        201,
        "{}",
        String::from_utf8_lossy(&first_body)
    );
    let answer = json(&first_body);
    assert_eq!(answer["error_code"], 0);
    assert_eq!(answer["data"]["TrangThaiHoSo"], 2);
    assert!(
        answer["data"]["SoBienNhan"]
            .as_str()
            .unwrap()
            .starts_with("BN-")
    );

    // Same key, same dossier with keys in another order: the stored answer, identical bytes.
    let reordered: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&dossier).unwrap()).unwrap();
    let (again_status, again_body) = submit(
        &s.client,
        &s.portal.url,
        &s.token,
        "dossier-0001",
        &reordered,
    )
    .await;
    assert_eq!(again_status, 201);
    assert_eq!(again_body, first_body);

    // Same key, different body: refused.
    let mut changed = dossier.clone();
    changed["ChuHoSo"] = "Người Khác".into();
    let (status, body) = submit(&s.client, &s.portal.url, &s.token, "dossier-0001", &changed).await;
    assert_eq!(status, 409);
    assert_eq!(json(&body)["error_code"], 1006);

    // Another key for the same MaHoSo: "đã tồn tại".
    let (status, body) = submit(&s.client, &s.portal.url, &s.token, "another-key", &dossier).await;
    assert_eq!(status, 409);
    let body = json(&body);
    assert_eq!(body["error_code"], 1007);
    assert!(body["message"].as_str().unwrap().contains("đã tồn tại"));
}

#[tokio::test]
async fn invalid_dossiers_are_refused_with_every_reason() {
    let s = setup();
    let not_pdf = s
        .tus()
        .upload(b"PK\x03\x04 this is a zip, not a pdf", "anh.zip", 1024)
        .await;
    let unsigned = s
        .tus()
        .upload(b"%PDF-1.7\n%%EOF\n", "unsigned.pdf", 1024)
        .await;
    let partial = s
        .tus()
        .create(10_000, &sha256_b64(&[0u8; 10_000]), "partial.pdf")
        .await;
    let mut dossier = dossier_json(
        "H56.14-261127-0002",
        &[
            ("no-such-upload", "missing.pdf"),
            (&not_pdf, "anh.zip"),
            (&unsigned, "unsigned.pdf"),
            (&upload_id(&partial), "partial.pdf"),
        ],
    );
    dossier["KenhThucHien"] = 7.into();
    let (status, body) = submit(&s.client, &s.portal.url, &s.token, "dossier-0002", &dossier).await;
    assert_eq!(status, 422);
    let body = json(&body);
    assert_eq!(body["error_code"], 1010);
    let codes: Vec<&str> = body["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "invalid_value",
            "missing_file",
            "not_pdf",
            "document_rejected",
            "upload_incomplete"
        ]
    );

    // A refusal is not stored: once fixed, the same key is accepted.
    let good = s.tus().upload(&signed_pdf(3000, 9), "good.pdf", 1024).await;
    let fixed = dossier_json("H56.14-261127-0002", &[(&good, "good.pdf")]);
    let (status, _) = submit(&s.client, &s.portal.url, &s.token, "dossier-0002", &fixed).await;
    assert_eq!(status, 201);

    // Missing Idempotency-Key and non-JSON bodies are 400.
    let response = s
        .client
        .post(format!("{}/api/v1/dossiers", s.portal.url))
        .bearer_auth(&s.token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let (status, _) = {
        let response = s
            .client
            .post(format!("{}/api/v1/dossiers", s.portal.url))
            .bearer_auth(&s.token)
            .header("Idempotency-Key", "x")
            .body("<html>")
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), ())
    };
    assert_eq!(status, 400);
}

#[tokio::test]
async fn status_changes_are_visible_through_get_polling_and_result_download() {
    let s = setup();
    let admin = create_token(&s.data, "SO-TU-PHAP", true);
    let id = s
        .tus()
        .upload(&signed_pdf(4000, 2), "to-khai.pdf", 4000)
        .await;
    let code = "H56.14-261127-0003";
    let (status, _) = submit(
        &s.client,
        &s.portal.url,
        &s.token,
        "dossier-0003",
        &dossier_json(code, &[(&id, "to-khai.pdf")]),
    )
    .await;
    assert_eq!(status, 201);
    let (_, page) = s.get("/api/v1/dossiers?changed_since=0", &s.token).await;
    let cursor = json(&page)["next_changed_since"].as_i64().unwrap();

    // CLI: status set MaHoSo 4.
    let (ok, stdout, stderr) = cli(&s.data, &["status", "set", code, "4"]);
    assert!(ok, "{stderr}");
    assert_eq!(json(stdout.as_bytes())["TrangThaiHoSo"], 4);
    let (status, body) = s.get(&format!("/api/v1/dossiers/{code}"), &s.token).await;
    assert_eq!(status, 200);
    assert_eq!(json(&body)["data"]["TrangThaiHoSo"], 4);

    // Status 5 without a reason is refused by the CLI; with a reason, through the admin endpoint.
    assert!(!cli(&s.data, &["status", "set", code, "5"]).0);
    let admin_url = format!("{}/api/v1/admin/dossiers/{code}/status", s.portal.url);
    let office_try = s
        .client
        .post(&admin_url)
        .bearer_auth(&s.token)
        .body(r#"{"TrangThaiHoSo":5,"reason":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(office_try.status().as_u16(), 403);
    let response = s
        .client
        .post(&admin_url)
        .bearer_auth(&admin)
        .body(r#"{"TrangThaiHoSo":5,"reason":"Bổ sung giấy chứng sinh bản chính"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    // Status 10 needs the result PDF; then the client can download it.
    let refused = s
        .client
        .post(&admin_url)
        .bearer_auth(&admin)
        .body(r#"{"TrangThaiHoSo":10}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 422);
    let result_pdf = signed_pdf(2500, 7);
    let request = serde_json::json!({"TrangThaiHoSo": 10, "result_pdf_base64": b64(&result_pdf)});
    let response = s
        .client
        .post(&admin_url)
        .bearer_auth(&admin)
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    // Polling from the cursor sees the latest state once, with the result link.
    let (_, page) = s
        .get(
            &format!("/api/v1/dossiers?changed_since={cursor}"),
            &s.token,
        )
        .await;
    let page = json(&page);
    let changes = page["data"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["TrangThaiHoSo"], 10);
    assert!(changes[0]["NgayTra"].as_str().unwrap().len() == 14);
    let link = changes[0]["DanhSachGiayToKetQua"][0]["DuongDanTepTinKetQua"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, empty) = s
        .get(
            &format!(
                "/api/v1/dossiers?changed_since={}",
                page["next_changed_since"]
            ),
            &s.token,
        )
        .await;
    assert_eq!(json(&empty)["data"].as_array().unwrap().len(), 0);

    let download = s
        .client
        .get(format!("{}{link}", s.portal.url))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    let digest = download.headers()["repr-digest"]
        .to_str()
        .unwrap()
        .to_string();
    let bytes = download.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), result_pdf.as_slice());
    assert_eq!(digest, format!("sha-256=:{}:", sha256_b64(&result_pdf)));

    // Another office sees none of it.
    let stranger = create_token(&s.data, "H56.99", false);
    assert_eq!(
        s.get(&format!("/api/v1/dossiers/{code}"), &stranger)
            .await
            .0,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_repeats_of_one_submission_create_one_dossier() {
    let s = setup();
    let id = s.tus().upload(&signed_pdf(3000, 3), "a.pdf", 3000).await;
    let dossier = dossier_json("H56.14-261127-0004", &[(&id, "a.pdf")]);
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, url, token, dossier) = (
            s.client.clone(),
            s.portal.url.clone(),
            s.token.clone(),
            dossier.clone(),
        );
        attempts
            .spawn(async move { submit(&client, &url, &token, "dossier-0004", &dossier).await });
    }
    let mut bodies = Vec::new();
    while let Some(result) = attempts.join_next().await {
        let (status, body) = result.unwrap();
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
        bodies.push(body);
    }
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "every attempt gets the same bytes"
    );
    let (_, page) = s.get("/api/v1/dossiers?changed_since=0", &s.token).await;
    assert_eq!(json(&page)["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        json(&bodies[0])["data"]["revision"],
        1,
        "accepted once, never updated"
    );
}
