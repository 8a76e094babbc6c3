//! End-to-end throughput on loopback: 1 MB dossiers uploaded in 256 KiB tus chunks and submitted,
//! four at a time, against the real portal process. Checks that every dossier is accepted once and
//! every stored file is byte-identical, and prints dossiers/s (issue 7 target: ≥ 50/s in release).
//! Run with `--nocapture` to see the rate; debug builds are slower than the target build.

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::*;

const DOSSIERS: usize = 40;
const SIZE: usize = 1024 * 1024;
const CHUNK: usize = 256 * 1024;
const CONCURRENCY: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_megabyte_dossiers_flow_end_to_end_and_arrive_intact() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("portal");
    let token = Arc::new(create_token(&data, "H56.14", false));
    let portal = Portal::start(&data, &[]);
    let url = Arc::new(portal.url.clone());
    let client = reqwest::Client::new();
    let files: Arc<Vec<Vec<u8>>> =
        Arc::new((0..DOSSIERS).map(|i| signed_pdf(SIZE, i as u8)).collect());

    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, url, token, files, next) = (
            client.clone(),
            url.clone(),
            token.clone(),
            files.clone(),
            next.clone(),
        );
        workers.spawn(async move {
            let mut accepted = Vec::new();
            loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if index >= DOSSIERS {
                    return accepted;
                }
                let tus = Tus {
                    client: &client,
                    url: &url,
                    token: &token,
                };
                let id = tus.upload(&files[index], "ho-so.pdf", CHUNK).await;
                let code = format!("H56.14-261127-{index:04}");
                let (status, body) = submit(
                    &client,
                    &url,
                    &token,
                    &code,
                    &dossier_json(&code, &[(&id, "ho-so.pdf")]),
                )
                .await;
                assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
                accepted.push((index, id));
            }
        });
    }
    let mut accepted = Vec::new();
    while let Some(result) = workers.join_next().await {
        accepted.extend(result.unwrap());
    }
    let elapsed = started.elapsed();
    println!(
        "{DOSSIERS} dossiers of {SIZE} bytes in {elapsed:?}: {:.1} dossiers/s",
        DOSSIERS as f64 / elapsed.as_secs_f64()
    );

    assert_eq!(accepted.len(), DOSSIERS);
    for (index, id) in accepted {
        let stored = std::fs::read(data.join("uploads").join(format!("{id}.bin"))).unwrap();
        assert!(
            stored == files[index],
            "dossier {index}: stored bytes differ"
        );
    }
    let (_, page) = {
        let response = client
            .get(format!("{url}/api/v1/dossiers?changed_since=0&limit=1000"))
            .bearer_auth(token.as_str())
            .send()
            .await
            .unwrap();
        (response.status(), response.bytes().await.unwrap())
    };
    assert_eq!(
        json(&page)["data"].as_array().unwrap().len(),
        DOSSIERS,
        "each dossier exactly once"
    );
}
