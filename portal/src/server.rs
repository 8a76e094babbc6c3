//! Binding and running the HTTP server.
//!
//! Plain HTTP is allowed only on a loopback address: the sandbox carries tokens and citizens' documents,
//! which must not cross a network unencrypted. On any other address the portal needs a certificate and
//! key (`--tls-cert`, `--tls-key`, PEM) and serves HTTPS through rustls (ring provider, via
//! `axum-server`); without them a non-loopback `--bind` is refused with a message saying so.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{AppState, Faults, Limits, router};
use crate::check::DocumentCheck;
use crate::store::{Store, StoreError};

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Data dir (database and files).
    pub data_dir: PathBuf,
    /// The check every submitted document must pass (signature verification).
    pub documents: Arc<dyn DocumentCheck>,
    /// Address to listen on; port 0 picks a free port (printed on stdout).
    pub bind: SocketAddr,
    pub limits: Limits,
    pub faults: Faults,
    /// Certificate chain and private key (PEM) for HTTPS; `None` serves plain HTTP (loopback only).
    pub tls: Option<TlsFiles>,
}

/// PEM files of the server certificate chain and its private key.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    #[error(
        "refusing to serve plain HTTP on non-loopback address {bind}: give --tls-cert and --tls-key \
         (PEM) to serve HTTPS, or bind to 127.0.0.1 / [::1]"
    )]
    PlainHttpOnNonLoopback { bind: SocketAddr },
    #[error("cannot load TLS certificate {cert} / key {key}: {source} (expected PEM files)")]
    TlsConfig {
        cert: PathBuf,
        key: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen on {bind}: {source} (is another portal running on that port?)")]
    Bind {
        bind: SocketAddr,
        source: std::io::Error,
    },
    #[error("HTTP server stopped: {source}")]
    Serve { source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Opens the store, binds, prints `motcua-portal listening on http://ADDR` on stdout, and serves until
/// Ctrl-C or SIGTERM.
pub async fn serve(config: ServeConfig) -> Result<(), ServerError> {
    if config.tls.is_none() && !config.bind.ip().is_loopback() {
        return Err(ServerError::PlainHttpOnNonLoopback { bind: config.bind });
    }
    let store = Arc::new(Store::open(&config.data_dir)?);
    let state = AppState::new(
        store,
        config.documents.clone(),
        config.limits,
        config.faults,
    );
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let bind_error = |source| ServerError::Bind {
        bind: config.bind,
        source,
    };
    match &config.tls {
        None => {
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .map_err(bind_error)?;
            let local = listener.local_addr().map_err(bind_error)?;
            announce("http", local, &config);
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(|source| ServerError::Serve { source })
        }
        Some(files) => {
            // Several providers could be compiled in by other crates; name ours explicitly.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                .await
                .map_err(|source| ServerError::TlsConfig {
                    cert: files.cert.clone(),
                    key: files.key.clone(),
                    source,
                })?;
            let listener = std::net::TcpListener::bind(config.bind).map_err(bind_error)?;
            listener.set_nonblocking(true).map_err(bind_error)?;
            let local = listener.local_addr().map_err(bind_error)?;
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
            });
            let server = axum_server::from_tcp_rustls(listener, tls).map_err(bind_error)?;
            announce("https", local, &config);
            server
                .handle(handle)
                .serve(app)
                .await
                .map_err(|source| ServerError::Serve { source })
        }
    }
}

/// Logs the start and prints the "listening on" line that tests and scripts read to learn the port
/// chosen for `--bind 127.0.0.1:0`.
fn announce(scheme: &str, local: SocketAddr, config: &ServeConfig) {
    tracing::info!(%local, scheme, data_dir = %config.data_dir.display(), "portal started");
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "motcua-portal listening on {scheme}://{local}");
    let _ = stdout.flush();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
