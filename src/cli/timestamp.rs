//! `motcua timestamp --tsa URL -o OUT.pdf IN.pdf`: adds a document time-stamp (ETSI.RFC3161) to
//! a signed PDF, e.g. one signed offline as PAdES B-B, once the TSA is reachable. The work is
//! [`motcua::sign::doc_timestamp`]; the output is written atomically.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use motcua::sign::doc_timestamp::timestamp_file;
use motcua::sign::timestamp::TsaClient;

use super::Failure;

#[derive(Args)]
pub struct TimestampArgs {
    /// RFC 3161 time-stamping authority (http:// or https://).
    #[arg(long, value_name = "URL")]
    tsa: String,
    /// PEM file of the CA certificates to trust for an https:// TSA instead of the public roots.
    #[arg(long, value_name = "FILE")]
    tsa_ca: Option<PathBuf>,
    /// Where to write the time-stamped PDF.
    #[arg(short = 'o', value_name = "OUT.pdf")]
    output: PathBuf,
    /// The PDF to time-stamp.
    input: PathBuf,
}

pub fn run(args: TimestampArgs) -> Result<ExitCode, Failure> {
    if !args.input.is_file() {
        return Err(Failure::Usage(format!(
            "không tìm thấy tệp PDF {}",
            args.input.display()
        )));
    }
    let mut tsa = TsaClient::new(&args.tsa);
    tsa.tls_roots = tls_roots(args.tsa_ca.as_deref())?;
    timestamp_file(&args.input, &args.output, &tsa).map_err(|e| Failure::Tool {
        code: "sign",
        message: e.to_string(),
    })?;
    println!(
        "Đã gắn dấu thời gian cho tài liệu {} → {}",
        args.input.display(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The DER certificates of a `--tsa-ca` PEM file (`None` without the option).
pub(super) fn tls_roots(path: Option<&Path>) -> Result<Option<Vec<Vec<u8>>>, Failure> {
    use der::Encode as _;
    let Some(path) = path else { return Ok(None) };
    let bad = |reason: String| {
        Failure::Usage(format!(
            "{}: không đọc được chứng thư CA ({reason}); cần tệp PEM",
            path.display()
        ))
    };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let certificates =
        x509_cert::Certificate::load_pem_chain(&pem).map_err(|e| bad(e.to_string()))?;
    certificates
        .iter()
        .map(|c| c.to_der().map_err(|e| bad(e.to_string())))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
