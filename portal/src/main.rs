//! `motcua-portal`: command line of the sandbox portal — run the server, manage office tokens, move
//! dossiers through the national status codes and record their online payment as a simulated back
//! office. This file only parses arguments, calls the library, and decides exit codes (0 success,
//! 1 failure, 2 usage error).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use motcua::verify::{Fetcher, VerifyOptions};
use motcua_portal::api::{Faults, Limits};
use motcua_portal::check::SignatureCheck;
use motcua_portal::server::{ServeConfig, TlsFiles, serve};
use motcua_portal::store::Store;
use motcua_portal::wire::DossierStatus;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "motcua-portal",
    version,
    about = "MotCua Desk sandbox portal (receiving side of dossier submissions)"
)]
struct Cli {
    /// Data dir holding portal.sqlite3, uploads/ and results/.
    #[arg(
        long,
        global = true,
        env = "MOTCUA_PORTAL_DB",
        default_value = "portal-data"
    )]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve(ServeArgs),
    /// Create, revoke and list office API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Simulate back-office processing.
    #[command(subcommand)]
    Status(StatusCommand),
    /// Simulate the online payment of a dossier's fees (reported in the change feed).
    #[command(subcommand)]
    Payment(PaymentCommand),
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on (plain HTTP: loopback only; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8787")]
    bind: SocketAddr,
    /// Probability (0–1) of refusing a request with 503 + Retry-After before processing it.
    #[arg(long, env = "MOTCUA_PORTAL_FAIL_RATE", default_value_t = 0.0)]
    fail_rate: f64,
    /// Probability (0–1) of processing a request but answering 503 (a lost acknowledgement).
    #[arg(long, env = "MOTCUA_PORTAL_DROP_ACK_RATE", default_value_t = 0.0)]
    drop_ack_rate: f64,
    /// Retry-After seconds sent with injected 503s.
    #[arg(long, default_value_t = 1)]
    retry_after: u32,
    /// Largest accepted upload in bytes.
    #[arg(long, default_value_t = Limits::default().max_upload_size)]
    max_upload_size: u64,
    /// Server certificate chain (PEM); with --tls-key, serves HTTPS (required off loopback).
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// Private key of the certificate (PEM).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Largest accepted PATCH chunk in bytes.
    #[arg(long, default_value_t = Limits::default().max_chunk_size)]
    max_chunk_size: usize,
    /// Trust anchors for document signatures (PEM/DER file or folder; repeatable).
    #[arg(long, value_name = "FILE_OR_DIR")]
    trust: Vec<PathBuf>,
    /// CRL files for revocation checks of document signatures (repeatable).
    #[arg(long, value_name = "FILE")]
    crl: Vec<PathBuf>,
    /// Folder of CRLs (`*.crl`, `*.crl.pem`, PEM `X509 CRL` files; repeatable), read at start-up:
    /// the CAs' current CRLs, e.g. refreshed by a scheduled download.
    #[arg(long, value_name = "DIR")]
    crl_dir: Vec<PathBuf>,
    /// Never fetch revocation data online. By default the portal, a server, fetches the CRLs and
    /// asks the OCSP responders that a signer's certificates name when no given CRL covers them.
    #[arg(long, env = "MOTCUA_PORTAL_OFFLINE")]
    offline: bool,
    /// Timeout of one online revocation request, in seconds.
    #[arg(long, default_value_t = 4)]
    revocation_timeout: u64,
    /// How long a fetched CRL or OCSP answer (or a failed fetch) is reused, in seconds.
    #[arg(long, default_value_t = 600)]
    revocation_cache: u64,
    /// Accept documents whose signer does not chain to a trust anchor (training only).
    #[arg(long)]
    accept_untrusted: bool,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token for an office; prints the token (shown only once) on stdout.
    Create {
        /// Office (agency) code, e.g. H56.14.
        #[arg(long)]
        office: String,
        /// Allow the admin endpoints (status changes).
        #[arg(long)]
        admin: bool,
    },
    /// Revoke a token, given its id (from `token list`) or the token itself.
    Revoke { id_or_token: String },
    /// List tokens (ids, offices, never the secrets).
    List,
}

#[derive(Debug, Subcommand)]
enum StatusCommand {
    /// Set a dossier's TrangThaiHoSo (1–10); 3, 5 and 8 need --reason, 10 needs --result.
    Set {
        ma_ho_so: String,
        code: u8,
        #[arg(long)]
        reason: Option<String>,
        /// Result PDF returned to the applicant (status 10).
        #[arg(long)]
        result: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum PaymentCommand {
    /// Set a dossier's payment status: paid (needs --receipt), refunded (after paid) or unpaid.
    Set {
        ma_ho_so: String,
        /// unpaid, paid or refunded.
        #[arg(long)]
        status: String,
        /// Payment receipt (biên lai) or transaction number.
        #[arg(long)]
        receipt: Option<String>,
        /// Payment or refund time, yyyyMMddHHmmss (Vietnam time); default now.
        #[arg(long)]
        at: Option<String>,
        /// Amount paid in đồng.
        #[arg(long)]
        amount: Option<u64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("motcua-portal: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve(args) => {
            for (name, rate) in [
                ("--fail-rate", args.fail_rate),
                ("--drop-ack-rate", args.drop_ack_rate),
            ] {
                if !(0.0..=1.0).contains(&rate) {
                    return Err(format!("{name} {rate} must be between 0 and 1"));
                }
            }
            let mut verify = VerifyOptions::default();
            for path in &args.trust {
                verify
                    .trust
                    .add_anchors(path)
                    .map_err(|error| format!("--trust {}: {error}", path.display()))?;
            }
            for path in &args.crl {
                verify
                    .trust
                    .add_crl_file(path)
                    .map_err(|error| format!("--crl {}: {error}", path.display()))?;
            }
            for path in &args.crl_dir {
                verify
                    .trust
                    .add_crl_dir(path)
                    .map_err(|error| format!("--crl-dir {}: {error}", path.display()))?;
            }
            if !args.offline {
                let fetcher = Fetcher::new(Duration::from_secs(args.revocation_timeout))
                    .with_cache_lifetime(Duration::from_secs(args.revocation_cache));
                verify.trust.set_online(Arc::new(fetcher));
            }
            let config = ServeConfig {
                data_dir: cli.db,
                documents: Arc::new(SignatureCheck::new(verify, args.accept_untrusted)),
                bind: args.bind,
                limits: Limits {
                    max_upload_size: args.max_upload_size,
                    max_chunk_size: args.max_chunk_size,
                },
                faults: Faults {
                    fail_rate: args.fail_rate,
                    drop_ack_rate: args.drop_ack_rate,
                    retry_after_secs: args.retry_after,
                },
                tls: match (args.tls_cert, args.tls_key) {
                    (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
                    _ => None,
                },
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|error| format!("cannot start the async runtime: {error}"))?;
            runtime
                .block_on(serve(config))
                .map_err(|error| error.to_string())
        }
        Command::Token(command) => {
            let store = Store::open(&cli.db).map_err(|error| error.to_string())?;
            match command {
                TokenCommand::Create { office, admin } => {
                    let office = office.trim();
                    if office.is_empty() {
                        return Err("--office must not be empty".to_string());
                    }
                    let (id, token) = store
                        .create_token(office, admin)
                        .map_err(|e| e.to_string())?;
                    eprintln!(
                        "token id {id} for office {office}{}",
                        if admin { " (admin)" } else { "" }
                    );
                    println!("{token}");
                    Ok(())
                }
                TokenCommand::Revoke { id_or_token } => match store.revoke_token(&id_or_token) {
                    Ok(0) => Err(format!(
                        "no active token matches {id_or_token:?}; see `motcua-portal token list`"
                    )),
                    Ok(count) => {
                        eprintln!("revoked {count} token(s)");
                        Ok(())
                    }
                    Err(error) => Err(error.to_string()),
                },
                TokenCommand::List => {
                    for token in store.list_tokens().map_err(|e| e.to_string())? {
                        println!(
                            "{}\t{}\t{}\t{}\t{}",
                            token.id,
                            token.office,
                            if token.admin { "admin" } else { "office" },
                            token.created_at,
                            token
                                .revoked_at
                                .as_deref()
                                .map_or("active".to_string(), |at| format!("revoked {at}")),
                        );
                    }
                    Ok(())
                }
            }
        }
        Command::Status(StatusCommand::Set {
            ma_ho_so,
            code,
            reason,
            result,
        }) => {
            let store = Store::open(&cli.db).map_err(|error| error.to_string())?;
            let pdf = match &result {
                None => None,
                Some(path) => Some(std::fs::read(path).map_err(|error| {
                    format!("cannot read result file {}: {error}", path.display())
                })?),
            };
            let row = motcua_portal::processing::set_status(
                &store,
                &ma_ho_so,
                code,
                reason.as_deref(),
                pdf.as_deref(),
            )
            .map_err(|error| error.to_string())?;
            print_status(&row)
        }
        Command::Payment(PaymentCommand::Set {
            ma_ho_so,
            status,
            receipt,
            at,
            amount,
        }) => {
            let store = Store::open(&cli.db).map_err(|error| error.to_string())?;
            let row = motcua_portal::payment::set_payment(
                &store,
                &ma_ho_so,
                motcua_portal::payment::PaymentChange {
                    status: &status,
                    receipt_no: receipt.as_deref(),
                    at: at.as_deref(),
                    amount_vnd: amount,
                },
            )
            .map_err(|error| error.to_string())?;
            print_status(&row)
        }
    }
}

/// Prints a dossier's status object (as the feed shows it) on stdout.
fn print_status(row: &motcua_portal::store::DossierRow) -> Result<(), String> {
    let view = DossierStatus::from_row(row);
    println!(
        "{}",
        serde_json::to_string_pretty(&view).map_err(|e| e.to_string())?
    );
    Ok(())
}
