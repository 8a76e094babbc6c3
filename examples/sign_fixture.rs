//! Signs one PDF with our own signer, for the verifier's corpus (tests/fixtures/signed/make-signed.py
//! runs it): `cargo run --example sign_fixture -- IN.pdf OUT.pdf KEY.p12 PASSWORD [certify-1|certify-2|certify-3] [pss] [pkcs7]`.
//! A test helper, not a product command: the app signs through `Desk`.

use std::process::ExitCode;

use motcua::sign::{
    DocMdpPermissions, RsaScheme, SignOptions, SoftwareSigner, SubFilter, sign_pdf,
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, key, password, flags @ ..] = args.as_slice() else {
        eprintln!("usage: sign_fixture IN.pdf OUT.pdf KEY.p12 PASSWORD [certify-N] [pss] [pkcs7]");
        return ExitCode::from(2);
    };
    let mut options = SignOptions::default();
    let mut scheme = RsaScheme::Pkcs1v15;
    for flag in flags {
        match flag.as_str() {
            "certify-1" => options.certify = Some(DocMdpPermissions::NoChanges),
            "certify-2" => options.certify = Some(DocMdpPermissions::FormFilling),
            "certify-3" => options.certify = Some(DocMdpPermissions::Annotations),
            "pss" => scheme = RsaScheme::Pss,
            "pkcs7" => options.sub_filter = SubFilter::Pkcs7Detached,
            other => {
                eprintln!("unknown flag {other}");
                return ExitCode::from(2);
            }
        }
    }
    let run = || -> Result<(), String> {
        let signer = SoftwareSigner::from_pkcs12_file(key.as_ref(), password)
            .map_err(|e| e.to_string())?
            .with_rsa_scheme(scheme);
        let pdf = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
        let signed = sign_pdf(&pdf, &signer, &options).map_err(|e| e.to_string())?;
        motcua::atomic::write_file_atomic(output.as_ref(), &signed)
            .map_err(|e| format!("{output}: {e}"))
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sign_fixture: {e}");
            ExitCode::from(1)
        }
    }
}
