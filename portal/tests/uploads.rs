//! tus upload behaviour against the real portal process: chunked upload with a cut connection and
//! resume, per-chunk checksum (460), whole-file hash check, and offsets surviving a killed portal.

mod common;

use common::*;
use tokio::io::AsyncWriteExt;

const CHUNK: usize = 64 * 1024;

/// Sends a PATCH whose body is cut after `sent` of `chunk.len()` bytes, then drops the connection,
/// as a flaky link would.
async fn patch_cut_mid_body(
    url: &str,
    token: &str,
    location: &str,
    offset: usize,
    chunk: &[u8],
    sent: usize,
) {
    let address = url.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "PATCH {location} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n\
         Upload-Offset: {offset}\r\nUpload-Checksum: sha256 {}\r\nContent-Length: {}\r\n\r\n",
        sha256_b64(chunk),
        chunk.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&chunk[..sent]).await.unwrap();
    stream.flush().await.unwrap();
    drop(stream);
    // Give the portal a moment to notice the cut before the client asks for the offset.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
}

#[tokio::test]
async fn chunked_upload_resumes_after_a_cut_connection() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let portal = Portal::start(&data, &[]);
    let client = reqwest::Client::new();
    let tus = Tus {
        client: &client,
        url: &portal.url,
        token: &token,
    };
    let file = signed_pdf(3 * CHUNK + 1000, 1);
    let location = tus
        .create(file.len(), &sha256_b64(&file), "to-khai.pdf")
        .await;

    let first = tus.patch(&location, 0, &file[..CHUNK]).await;
    assert_eq!(first.status().as_u16(), 204);
    assert_eq!(first.headers()["upload-offset"], CHUNK.to_string().as_str());

    // The second chunk is cut half-way: nothing of it may count.
    patch_cut_mid_body(
        &portal.url,
        &token,
        &location,
        CHUNK,
        &file[CHUNK..2 * CHUNK],
        CHUNK / 2,
    )
    .await;
    assert_eq!(
        tus.head(&location).await,
        (200, Some(CHUNK as u64), Some("receiving".into()))
    );

    // A client that lost the acknowledgement of chunk 1 and resends it is told the real offset.
    let stale = tus.patch(&location, 0, &file[..CHUNK]).await;
    assert_eq!(stale.status().as_u16(), 409);
    assert_eq!(stale.headers()["upload-offset"], CHUNK.to_string().as_str());

    // Resume from the server's offset.
    let mut offset = CHUNK;
    for chunk in file[CHUNK..].chunks(CHUNK) {
        let response = tus.patch(&location, offset, chunk).await;
        assert_eq!(response.status().as_u16(), 204);
        offset += chunk.len();
    }
    assert_eq!(
        tus.head(&location).await,
        (200, Some(file.len() as u64), Some("complete".into()))
    );
    let stored = std::fs::read(
        data.join("uploads")
            .join(format!("{}.bin", upload_id(&location))),
    )
    .unwrap();
    assert_eq!(
        sha256_b64(&stored),
        sha256_b64(&file),
        "stored bytes must be identical"
    );
}

#[tokio::test]
async fn chunk_checksum_mismatch_is_460_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let portal = Portal::start(&data, &[]);
    let client = reqwest::Client::new();
    let tus = Tus {
        client: &client,
        url: &portal.url,
        token: &token,
    };
    let file = signed_pdf(2 * CHUNK, 2);
    let location = tus.create(file.len(), &sha256_b64(&file), "a.pdf").await;

    let mut damaged = file[..CHUNK].to_vec();
    damaged[100] ^= 0x01; // one bit flipped in transit
    let response = tus
        .patch_with_checksum(&location, 0, &damaged, &sha256_b64(&file[..CHUNK]))
        .await;
    assert_eq!(response.status().as_u16(), 460);
    assert_eq!(json(&response.bytes().await.unwrap())["error_code"], 1008);
    assert_eq!(tus.head(&location).await.1, Some(0));

    // The resent, intact chunk is accepted.
    assert_eq!(
        tus.patch(&location, 0, &file[..CHUNK])
            .await
            .status()
            .as_u16(),
        204
    );
    assert_eq!(tus.head(&location).await.1, Some(CHUNK as u64));
}

#[tokio::test]
async fn whole_file_hash_mismatch_is_rejected_and_the_upload_cannot_be_submitted() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let portal = Portal::start(&data, &[]);
    let client = reqwest::Client::new();
    let tus = Tus {
        client: &client,
        url: &portal.url,
        token: &token,
    };
    let original = signed_pdf(CHUNK + 500, 3);
    let mut tampered = original.clone();
    tampered[CHUNK + 10] ^= 0xff;
    // Declared hash is the original's; the bytes sent (each chunk with a correct chunk checksum) are tampered.
    let location = tus
        .create(tampered.len(), &sha256_b64(&original), "tampered.pdf")
        .await;
    assert_eq!(
        tus.patch(&location, 0, &tampered[..CHUNK])
            .await
            .status()
            .as_u16(),
        204
    );
    let last = tus.patch(&location, CHUNK, &tampered[CHUNK..]).await;
    assert_eq!(last.status().as_u16(), 422);
    assert_eq!(json(&last.bytes().await.unwrap())["error_code"], 1009);
    assert_eq!(
        tus.head(&location).await.2.as_deref(),
        Some("hash-mismatch")
    );

    let dossier = dossier_json(
        "H56.14-261127-0100",
        &[(&upload_id(&location), "tampered.pdf")],
    );
    let (status, body) = submit(&client, &portal.url, &token, "key-tampered", &dossier).await;
    assert_eq!(status, 422);
    let body = json(&body);
    assert_eq!(body["error_code"], 1010);
    assert_eq!(body["reasons"][0]["code"], "hash_mismatch");
}

#[tokio::test]
async fn offsets_survive_a_killed_portal() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let client = reqwest::Client::new();
    let file = signed_pdf(4 * CHUNK, 4);

    let portal = Portal::start(&data, &[]);
    let location = {
        let tus = Tus {
            client: &client,
            url: &portal.url,
            token: &token,
        };
        let location = tus.create(file.len(), &sha256_b64(&file), "big.pdf").await;
        for index in 0..2 {
            let response = tus
                .patch(
                    &location,
                    index * CHUNK,
                    &file[index * CHUNK..(index + 1) * CHUNK],
                )
                .await;
            assert_eq!(response.status().as_u16(), 204);
        }
        location
    };
    portal.kill(); // SIGKILL: no graceful shutdown

    let portal = Portal::start(&data, &[]);
    let fresh_client = reqwest::Client::new();
    let tus = Tus {
        client: &fresh_client,
        url: &portal.url,
        token: &token,
    };
    let (status, offset, state) = tus.head(&location).await;
    assert_eq!(
        (status, offset, state.as_deref()),
        (200, Some(2 * CHUNK as u64), Some("receiving"))
    );
    let mut offset = offset.unwrap() as usize;
    for chunk in file[offset..].chunks(CHUNK) {
        assert_eq!(
            tus.patch(&location, offset, chunk).await.status().as_u16(),
            204
        );
        offset += chunk.len();
    }
    assert_eq!(tus.head(&location).await.2.as_deref(), Some("complete"));
    let dossier = dossier_json("H56.14-261127-0200", &[(&upload_id(&location), "big.pdf")]);
    let (status, _) = submit(&fresh_client, &portal.url, &token, "key-restart", &dossier).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn uploads_are_private_to_their_office_and_need_the_tus_header() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let mine = create_token(&data, "H56.14", false);
    let theirs = create_token(&data, "H56.15", false);
    let portal = Portal::start(&data, &[]);
    let client = reqwest::Client::new();
    let tus = Tus {
        client: &client,
        url: &portal.url,
        token: &mine,
    };
    let file = signed_pdf(1000, 5);
    let location = tus.create(file.len(), &sha256_b64(&file), "a.pdf").await;

    let other = Tus {
        client: &client,
        url: &portal.url,
        token: &theirs,
    };
    assert_eq!(other.head(&location).await.0, 404);

    let no_version = client
        .head(format!("{}{location}", portal.url))
        .bearer_auth(&mine)
        .send()
        .await
        .unwrap();
    assert_eq!(no_version.status().as_u16(), 412);
    assert_eq!(no_version.headers()["tus-version"], "1.0.0");
}

#[tokio::test]
async fn bytes_written_but_never_acknowledged_are_discarded_after_a_crash() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let client = reqwest::Client::new();
    let file = signed_pdf(2 * CHUNK, 6);
    let portal = Portal::start(&data, &[]);
    let location = {
        let tus = Tus {
            client: &client,
            url: &portal.url,
            token: &token,
        };
        let location = tus.create(file.len(), &sha256_b64(&file), "a.pdf").await;
        assert_eq!(
            tus.patch(&location, 0, &file[..CHUNK])
                .await
                .status()
                .as_u16(),
            204
        );
        location
    };
    portal.kill();
    // The crash window: a chunk was appended and fsynced, but its offset never reached the database.
    let stored = data
        .join("uploads")
        .join(format!("{}.bin", upload_id(&location)));
    let mut bytes = std::fs::read(&stored).unwrap();
    bytes.extend_from_slice(&[0xAA; 1000]);
    std::fs::write(&stored, &bytes).unwrap();

    let portal = Portal::start(&data, &[]);
    let tus = Tus {
        client: &client,
        url: &portal.url,
        token: &token,
    };
    assert_eq!(
        tus.head(&location).await.1,
        Some(CHUNK as u64),
        "the database offset is authoritative"
    );
    assert_eq!(
        tus.patch(&location, CHUNK, &file[CHUNK..])
            .await
            .status()
            .as_u16(),
        204
    );
    assert_eq!(tus.head(&location).await.2.as_deref(), Some("complete"));
    assert!(std::fs::read(&stored).unwrap() == file);
}

/// The client side of a flaky upload: HEAD for the offset, PATCH from there, retry on any failure,
/// following the portal to whatever port it restarted on.
async fn upload_through_restarts(
    url: Arc<Mutex<String>>,
    token: String,
    location: String,
    file: Arc<Vec<u8>>,
) -> usize {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut failures = 0;
    loop {
        let base = url.lock().unwrap().clone();
        let tus = Tus {
            client: &client,
            url: &base,
            token: &token,
        };
        let head = client
            .head(format!("{base}{location}"))
            .bearer_auth(&token)
            .header("Tus-Resumable", "1.0.0")
            .send()
            .await;
        let Ok(head) = head else {
            failures += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        if head
            .headers()
            .get("upload-state")
            .map(|v| v.to_str().unwrap())
            == Some("complete")
        {
            return failures;
        }
        let offset: usize = head.headers()["upload-offset"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let end = (offset + CHUNK / 4).min(file.len());
        let request = tus
            .client
            .request(reqwest::Method::PATCH, format!("{base}{location}"))
            .bearer_auth(&token)
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .header(
                "Upload-Checksum",
                format!("sha256 {}", sha256_b64(&file[offset..end])),
            )
            .body(file[offset..end].to_vec())
            .send()
            .await;
        if !matches!(request, Ok(ref response) if response.status().as_u16() == 204) {
            failures += 1;
        }
    }
}

use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_survives_repeated_sigkills_of_the_portal() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = create_token(&data, "H56.14", false);
    let file = Arc::new(signed_pdf(3 * 1024 * 1024, 8));
    let mut portal = Portal::start(&data, &[]);
    let location = {
        let client = reqwest::Client::new();
        Tus {
            client: &client,
            url: &portal.url,
            token: &token,
        }
        .create(file.len(), &sha256_b64(&file), "big.pdf")
        .await
    };
    let url = Arc::new(Mutex::new(portal.url.clone()));
    let uploader = tokio::spawn(upload_through_restarts(
        url.clone(),
        token.clone(),
        location.clone(),
        file.clone(),
    ));

    let mut kills = 0;
    while !uploader.is_finished() && kills < 15 {
        tokio::time::sleep(Duration::from_millis(30 + (kills * 37 % 70) as u64)).await;
        portal.kill();
        kills += 1;
        portal = Portal::start(&data, &[]);
        *url.lock().unwrap() = portal.url.clone();
    }
    let failures = tokio::time::timeout(Duration::from_secs(60), uploader)
        .await
        .unwrap()
        .unwrap();
    println!("{kills} SIGKILLs, {failures} failed client requests");
    assert!(
        kills >= 5,
        "the portal should have been killed several times mid-upload (kills = {kills})"
    );
    assert!(
        failures > 0,
        "some requests should have failed while the portal was down"
    );
    let stored = std::fs::read(
        data.join("uploads")
            .join(format!("{}.bin", upload_id(&location))),
    )
    .unwrap();
    assert!(
        stored == *file,
        "after {kills} SIGKILLs the stored file must be byte-identical"
    );
}
