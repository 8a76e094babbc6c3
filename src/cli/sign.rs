//! `motcua sign`: sign one PDF, or every PDF of a folder, with a .p12 file or a PKCS#11 token.
//!
//! The key is unlocked once (one password or PIN entry, also for a batch). Secrets come from
//! the environment variable named by `--password-env`/`--pin-env` or from a prompt on the
//! terminal without echo, never from the command line, where other users could read them in the
//! process list. All the signing work is [`motcua::sign`]; this file only maps arguments to
//! [`SignOptions`] and reports per file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use motcua::sign::batch::{folder_jobs, sign_batch};
use motcua::sign::pkcs11::Pkcs11Module;
use motcua::sign::timestamp::TsaClient;
use motcua::sign::{
    DocMdpPermissions, SignError, SignOptions, Signer, SoftwareSigner, SubFilter, VisibleSignature,
    sign_file_with_outcome,
};

use super::Failure;

#[derive(Args)]
pub struct SignArgs {
    /// The signing key and certificate chain as a PKCS#12 file (.p12/.pfx).
    #[arg(long, value_name = "FILE", required_unless_present = "pkcs11_module")]
    p12: Option<PathBuf>,
    /// Environment variable holding the .p12 password (default: ask on the terminal).
    #[arg(long, value_name = "VAR", requires = "p12")]
    password_env: Option<String>,
    /// PKCS#11 library of the USB token (e.g. /usr/lib/softhsm/libsofthsm2.so).
    #[arg(long, value_name = "LIB", conflicts_with = "p12", requires = "token")]
    pkcs11_module: Option<PathBuf>,
    /// Label of the token.
    #[arg(long, value_name = "LABEL", requires = "pkcs11_module")]
    token: Option<String>,
    /// Label of the key on the token (default: the only key with a certificate).
    #[arg(long, value_name = "L", requires = "pkcs11_module")]
    key_label: Option<String>,
    /// Environment variable holding the token PIN (default: ask on the terminal).
    #[arg(long, value_name = "VAR", requires = "pkcs11_module")]
    pin_env: Option<String>,
    /// Visible stamp: 1-based page and box in points, "PAGE,X,Y,W,H".
    #[arg(long, value_name = "PAGE,X,Y,W,H")]
    visible: Option<String>,
    /// Seal or handwritten-signature image (PNG, transparency kept) drawn in the stamp.
    #[arg(long, value_name = "PNG", requires = "visible")]
    seal: Option<PathBuf>,
    /// /Reason, e.g. "Tiếp nhận hồ sơ".
    #[arg(long)]
    reason: Option<String>,
    /// /Location, e.g. "UBND xã Tân Phú".
    #[arg(long)]
    location: Option<String>,
    /// Certification signature with DocMDP permissions 1 (no changes), 2 (forms, signing) or 3 (also annotations).
    #[arg(long, value_name = "1|2|3", value_parser = clap::value_parser!(u8).range(1..=3))]
    certify: Option<u8>,
    /// RFC 3161 time-stamping authority; when unreachable the signature is made without one.
    #[arg(long, value_name = "URL")]
    tsa: Option<String>,
    /// PEM file of the CA certificates to trust for an https:// TSA instead of the public roots.
    #[arg(long, value_name = "FILE", requires = "tsa")]
    tsa_ca: Option<PathBuf>,
    /// Signature format.
    #[arg(long, value_enum, default_value_t = SubFilterArg::Cades)]
    subfilter: SubFilterArg,
    /// The signed PDF.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "OUT.pdf",
        required_unless_present = "batch"
    )]
    output: Option<PathBuf>,
    /// The PDF to sign.
    #[arg(
        value_name = "IN.pdf",
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    input: Option<PathBuf>,
    /// Sign every *.pdf directly in this folder.
    #[arg(
        long,
        value_name = "DIR",
        requires = "out_dir",
        conflicts_with = "output"
    )]
    batch: Option<PathBuf>,
    /// With --batch: where the signed files go (same names; must differ from the input folder).
    #[arg(long, value_name = "DIR", requires = "batch")]
    out_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SubFilterArg {
    /// ETSI.CAdES.detached (PAdES).
    Cades,
    /// adbe.pkcs7.detached (old readers).
    Pkcs7,
}

fn sign_failure(error: SignError) -> Failure {
    Failure::Tool {
        code: "sign",
        message: error.to_string(),
    }
}

fn usage(message: String) -> Failure {
    Failure::Usage(message)
}

/// Reads a secret from the named environment variable, or from the terminal without echo.
fn secret(env_var: Option<&str>, prompt: &str, key_source: &Path) -> Result<String, Failure> {
    match env_var {
        Some(var) => std::env::var(var).map_err(|_| {
            usage(format!(
                "biến môi trường {var} (mật khẩu/PIN cho {}) chưa được đặt",
                key_source.display()
            ))
        }),
        None => rpassword::prompt_password(prompt).map_err(|e| {
            usage(format!(
                "không đọc được mật khẩu/PIN cho {} từ bàn phím ({e}); dùng --password-env hoặc --pin-env",
                key_source.display()
            ))
        }),
    }
}

/// Parses "PAGE,X,Y,W,H".
fn parse_visible(text: &str) -> Result<(u32, [f32; 4]), Failure> {
    let bad = || {
        usage(format!(
            "--visible {text:?} phải có dạng TRANG,X,Y,RỘNG,CAO (ví dụ 1,350,60,220,70)"
        ))
    };
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [page, x, y, w, h] = parts.as_slice() else {
        return Err(bad());
    };
    let page: u32 = page.parse().map_err(|_| bad())?;
    let mut rect = [0.0_f32; 4];
    for (slot, value) in rect.iter_mut().zip([x, y, w, h]) {
        *slot = value.parse().map_err(|_| bad())?;
    }
    if page == 0 || rect[2] <= 0.0 || rect[3] <= 0.0 || rect.iter().any(|v| !v.is_finite()) {
        return Err(bad());
    }
    Ok((page, rect))
}

fn options(args: &SignArgs) -> Result<SignOptions, Failure> {
    let mut options = SignOptions {
        sub_filter: match args.subfilter {
            SubFilterArg::Cades => SubFilter::CadesDetached,
            SubFilterArg::Pkcs7 => SubFilter::Pkcs7Detached,
        },
        reason: args.reason.clone(),
        location: args.location.clone(),
        certify: args.certify.map(|p| match p {
            1 => DocMdpPermissions::NoChanges,
            3 => DocMdpPermissions::Annotations,
            _ => DocMdpPermissions::FormFilling,
        }),
        tsa: args.tsa.as_ref().map(TsaClient::new),
        ..SignOptions::default()
    };
    if let Some(tsa) = &mut options.tsa {
        tsa.tls_roots = super::timestamp::tls_roots(args.tsa_ca.as_deref())?;
    }
    if let Some(visible) = &args.visible {
        let (page, rect) = parse_visible(visible)?;
        let seal = match &args.seal {
            Some(path) => Some(std::fs::read(path).map_err(|e| {
                usage(format!(
                    "không đọc được ảnh con dấu {}: {e}",
                    path.display()
                ))
            })?),
            None => None,
        };
        options.page = page;
        options.visible = Some(VisibleSignature {
            rect,
            organisation: None,
            seal,
        });
    }
    Ok(options)
}

/// Opens the key: loads the .p12 or logs in to the token (one secret entry).
fn open_signer(args: &SignArgs) -> Result<Box<dyn Signer>, Failure> {
    if let Some(p12) = &args.p12 {
        let password = secret(
            args.password_env.as_deref(),
            &format!("Mật khẩu của {}: ", p12.display()),
            p12,
        )?;
        let signer = SoftwareSigner::from_pkcs12_file(p12, &password).map_err(sign_failure)?;
        return Ok(Box::new(signer));
    }
    let (Some(module), Some(token)) = (&args.pkcs11_module, &args.token) else {
        return Err(usage(
            "cần --p12 FILE hoặc --pkcs11-module LIB --token LABEL".into(),
        ));
    };
    let module_handle = Pkcs11Module::load(module).map_err(sign_failure)?;
    let pin = secret(
        args.pin_env.as_deref(),
        &format!("PIN của token \"{token}\": "),
        module,
    )?;
    let signer = module_handle
        .open_signer(token, args.key_label.as_deref(), &pin)
        .map_err(sign_failure)?;
    Ok(Box::new(signer))
}

pub fn run(args: SignArgs) -> Result<ExitCode, Failure> {
    let options = options(&args)?;
    if let (Some(input), Some(output)) = (&args.input, &args.output) {
        // Check the input before asking for a secret the user would type for nothing.
        if !input.is_file() {
            return Err(usage(format!("không tìm thấy tệp PDF {}", input.display())));
        }
        let signer = open_signer(&args)?;
        let outcome = sign_file_with_outcome(input, output, signer.as_ref(), &options)
            .map_err(sign_failure)?;
        if let Some(reason) = outcome.timestamp_error {
            eprintln!("cảnh báo: chữ ký không có dấu thời gian (B-B): {reason}");
        }
        println!(
            "Đã ký {} → {}{}",
            input.display(),
            output.display(),
            if outcome.timestamped {
                " (có dấu thời gian)"
            } else {
                ""
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(batch), Some(out_dir)) = (&args.batch, &args.out_dir) else {
        return Err(usage(
            "cần IN.pdf -o OUT.pdf, hoặc --batch DIR --out-dir DIR".into(),
        ));
    };
    std::fs::create_dir_all(out_dir)
        .map_err(|e| usage(format!("không tạo được thư mục {}: {e}", out_dir.display())))?;
    let jobs = folder_jobs(batch, out_dir).map_err(sign_failure)?;
    if jobs.is_empty() {
        return Err(usage(format!(
            "thư mục {} không có tệp PDF nào",
            batch.display()
        )));
    }
    let signer = open_signer(&args)?;
    let results = sign_batch(
        &jobs,
        signer.as_ref(),
        &options,
        &mut |progress| match progress.result {
            Ok(()) => println!(
                "[{}/{}] đã ký {}",
                progress.done,
                progress.total,
                progress.job.output.display()
            ),
            Err(error) => eprintln!("[{}/{}] lỗi: {error}", progress.done, progress.total),
        },
    );
    let failed = results.iter().filter(|r| r.is_err()).count();
    if failed > 0 {
        return Err(Failure::Tool {
            code: "sign",
            message: format!(
                "{failed} trong {} tệp không ký được (xem các dòng lỗi ở trên); các tệp khác đã ký",
                results.len()
            ),
        });
    }
    println!("Đã ký {} tệp vào {}", results.len(), out_dir.display());
    Ok(ExitCode::SUCCESS)
}
