//! `motcua timestamp --tsa URL -o OUT.pdf IN.pdf`: adds a document time-stamp (ETSI.RFC3161) to
//! a signed PDF, e.g. one signed offline as PAdES B-B, once the TSA is reachable. The work is
//! [`motcua::sign::doc_timestamp`]; the output is written atomically.

use std::path::PathBuf;
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
    timestamp_file(&args.input, &args.output, &TsaClient::new(&args.tsa)).map_err(|e| {
        Failure::Tool {
            code: "sign",
            message: e.to_string(),
        }
    })?;
    println!(
        "Đã gắn dấu thời gian cho tài liệu {} → {}",
        args.input.display(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
