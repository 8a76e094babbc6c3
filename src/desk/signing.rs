//! Signing the dossier at the counter (issue 9): every assembled document with one unlock of the clerk's
//! key — a .p12 file or a key on a PKCS#11 token from the modules of the `pkcs11.modules` setting — the
//! visible stamp where the clerk placed it, a signature time-stamp when the office set an authority
//! (`sign.tsa-url`), then the dossier marked signed. The password or PIN is neither stored nor logged.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::counter::{check_cancel, scratch_dir};
use super::settings::{PKCS11_MODULES, SIGN_TSA_URL};
use super::{Desk, DeskError};
use crate::counter::CounterError;
use crate::counter::stamp::{StampError, StampPlacement, page_boxes};
use crate::dossier::{Dossier, Status};
use crate::sign::pkcs11::{Pkcs11Module, TokenSummary};
use crate::sign::timestamp::TsaClient;
use crate::sign::{SignOptions, Signer, SoftwareSigner, VisibleSignature, sign_file_with_outcome};
use crate::store::StoreError;

/// The key the dossier is signed with.
#[derive(Debug, Clone)]
pub enum SignKey {
    /// A PKCS#12 file; the secret is its password.
    P12(PathBuf),
    /// A key on a token; the secret is the PIN.
    Pkcs11 {
        module: PathBuf,
        token: String,
        key_label: Option<String>,
    },
}

/// How a dossier is signed: the key, its password or PIN (never stored), and where the stamp goes.
#[derive(Debug, Clone, Copy)]
pub struct SignWith<'a> {
    pub key: &'a SignKey,
    pub secret: &'a str,
    pub stamp: StampPlacement,
}

/// A token found through a configured module.
#[derive(Debug, Clone)]
pub struct TokenChoice {
    pub module: PathBuf,
    pub token: TokenSummary,
}

/// What signing the dossier did.
#[derive(Debug, Clone)]
pub struct SignSummary {
    pub signer: String,
    pub documents: Vec<(String, String)>,
    pub dossier: Dossier,
    /// Whether the signatures carry a time-stamp from the `sign.tsa-url` authority.
    pub timestamped: bool,
    /// Why the configured authority gave no time-stamp: the documents are signed without one (the
    /// signing time is then only the signer's claim); the clerk may sign again once it answers.
    pub timestamp_error: Option<String>,
}

impl Desk {
    /// The tokens inserted in the readers of the modules listed in the `pkcs11.modules` setting. A module
    /// that cannot be loaded is an error naming it.
    pub fn pkcs11_tokens(&self) -> Result<Vec<TokenChoice>, DeskError> {
        let mut found = Vec::new();
        for module in pkcs11_module_paths(self.setting(PKCS11_MODULES)?.as_deref()) {
            let loaded = Pkcs11Module::load(&module).map_err(CounterError::from)?;
            for token in loaded.tokens().map_err(CounterError::from)? {
                found.push(TokenChoice {
                    module: module.clone(),
                    token,
                });
            }
        }
        Ok(found)
    }

    /// Signs every assembled document of dossier `code` with one unlock of `key` (`secret` is the .p12
    /// password or the token PIN; it is neither stored nor logged), then marks the dossier signed.
    /// `progress(done, total, doc_code)` runs before each document and once at the end. The visible stamp
    /// goes at the default place ([`StampPlacement::default`]); [`Desk::sign_dossier_with`] chooses it.
    pub fn sign_dossier(
        &self,
        code: &str,
        key: &SignKey,
        secret: &str,
        actor: &str,
        cancel: &AtomicBool,
        progress: impl FnMut(usize, usize, &str),
    ) -> Result<SignSummary, DeskError> {
        let how = SignWith {
            key,
            secret,
            stamp: StampPlacement::default(),
        };
        self.sign_dossier_with(code, &how, actor, cancel, progress)
    }

    /// [`Desk::sign_dossier`] with the stamp placed as `how.stamp` says, fitted to each document (page
    /// capped at its last page, box kept inside the page: [`StampPlacement::fit`]).
    pub fn sign_dossier_with(
        &self,
        code: &str,
        how: &SignWith<'_>,
        actor: &str,
        cancel: &AtomicBool,
        mut progress: impl FnMut(usize, usize, &str),
    ) -> Result<SignSummary, DeskError> {
        let (key, secret) = (how.key, how.secret);
        let dossier = self.dossier(code)?;
        let recorded = self.capture_documents(&dossier.code)?;
        let assembled = |doc: &str| {
            recorded
                .iter()
                .find(|d| d.doc_code == doc)
                .and_then(|d| d.assembled_sha256.clone())
        };
        if let Some(missing) = dossier
            .documents
            .iter()
            .find(|d| d.mandatory && assembled(&d.code).is_none())
        {
            return Err(DeskError::Store(StoreError::MissingDocumentPdf {
                dossier: dossier.code.clone(),
                document: missing.code.clone(),
            }));
        }
        let work: Vec<(String, String)> = dossier
            .documents
            .iter()
            .filter_map(|d| assembled(&d.code).map(|sha| (d.code.clone(), sha)))
            .collect();
        if work.is_empty() {
            return Err(DeskError::Store(StoreError::MissingDocumentPdf {
                dossier: dossier.code.clone(),
                document: "*".into(),
            }));
        }
        let signer = open_signer(key, secret)?;
        let subject = crate::sign::keys::subject_common_name(signer.certificate());
        let office = self.office()?;
        // A time-stamp makes the signing time trustworthy (PAdES B-T); an authority that does not
        // answer must not stop the counter, so the documents are then signed without one and the
        // summary says why.
        let tsa = self
            .setting(SIGN_TSA_URL)?
            .filter(|url| !url.trim().is_empty())
            .map(|url| TsaClient::new(url.trim()));
        let options = SignOptions {
            reason: Some(format!("Tiếp nhận hồ sơ {}", dossier.code)),
            location: Some(office.name.clone()),
            tsa,
            timestamp_required: false,
            ..SignOptions::default()
        };
        let mut timestamped = options.tsa.is_some();
        let mut timestamp_error = None;
        let scratch = scratch_dir(self)?;
        let mut signed = Vec::with_capacity(work.len());
        for (index, (doc_code, sha)) in work.iter().enumerate() {
            check_cancel(cancel)?;
            progress(index, work.len(), doc_code);
            let input = self.with_store(|s| s.blobs().path_of(sha));
            let out = scratch.path().join(format!("{index:03}.pdf"));
            let (page, rect) = how
                .stamp
                .fit(&page_boxes(&input).map_err(CounterError::from)?)
                .ok_or_else(|| {
                    CounterError::from(StampError::NoPages {
                        path: input.clone(),
                    })
                })?;
            let options = SignOptions {
                page,
                visible: Some(VisibleSignature {
                    rect,
                    organisation: None,
                    seal: None,
                }),
                ..options.clone()
            };
            let outcome = sign_file_with_outcome(&input, &out, signer.as_ref(), &options).map_err(
                |source| CounterError::SignDocument {
                    document: doc_code.clone(),
                    source,
                },
            )?;
            timestamped &= outcome.timestamped;
            if timestamp_error.is_none() {
                timestamp_error = outcome.timestamp_error;
            }
            let bytes = std::fs::read(&out).map_err(|source| CounterError::Scratch {
                path: out.clone(),
                source,
            })?;
            let signed_sha = self.with_store(|s| -> Result<String, StoreError> {
                let sha = s.put_blob(&bytes, "application/pdf")?;
                s.set_signed_pdf(&dossier.code, doc_code, &sha)?;
                Ok(sha)
            })?;
            self.attach_document_pdf(&dossier.code, doc_code, &signed_sha, actor)?;
            signed.push((doc_code.clone(), signed_sha));
        }
        progress(work.len(), work.len(), "");
        let mut status = self.dossier(&dossier.code)?.status;
        if status == Status::Draft {
            status = self
                .set_dossier_status(&dossier.code, Status::Ready, actor)?
                .status;
        }
        if status == Status::Ready {
            self.set_dossier_status(&dossier.code, Status::Signed, actor)?;
        }
        Ok(SignSummary {
            signer: subject,
            documents: signed,
            dossier: self.dossier(&dossier.code)?,
            timestamped,
            timestamp_error,
        })
    }
}

fn open_signer(key: &SignKey, secret: &str) -> Result<Box<dyn Signer>, DeskError> {
    Ok(match key {
        SignKey::P12(path) => {
            Box::new(SoftwareSigner::from_pkcs12_file(path, secret).map_err(CounterError::from)?)
        }
        SignKey::Pkcs11 {
            module,
            token,
            key_label,
        } => {
            let loaded = Pkcs11Module::load(module).map_err(CounterError::from)?;
            Box::new(
                loaded
                    .open_signer(token, key_label.as_deref(), secret)
                    .map_err(CounterError::from)?,
            )
        }
    })
}

/// The module paths of the `pkcs11.modules` setting: a JSON array, or paths one per line or `;`-separated.
pub fn pkcs11_module_paths(setting: Option<&str>) -> Vec<PathBuf> {
    let Some(text) = setting.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    if let Ok(list) = serde_json::from_str::<Vec<String>>(text) {
        return list.into_iter().map(PathBuf::from).collect();
    }
    text.split(['\n', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pkcs11_module_paths;
    use std::path::PathBuf;

    #[test]
    fn module_paths_read_json_lines_or_semicolons() {
        let want = vec![PathBuf::from("/usr/lib/a.so"), PathBuf::from("/opt/b.so")];
        assert_eq!(
            pkcs11_module_paths(Some(r#"["/usr/lib/a.so","/opt/b.so"]"#)),
            want
        );
        assert_eq!(
            pkcs11_module_paths(Some("/usr/lib/a.so\n /opt/b.so \n")),
            want
        );
        assert_eq!(pkcs11_module_paths(Some("/usr/lib/a.so;/opt/b.so")), want);
        assert!(pkcs11_module_paths(Some("  ")).is_empty());
        assert!(pkcs11_module_paths(None).is_empty());
    }
}
