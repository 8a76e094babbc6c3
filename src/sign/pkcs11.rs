//! PKCS#11 tokens (the USB tokens Vietnamese CAs issue; SoftHSM2 in tests) as a [`Signer`].
//!
//! The private key never leaves the token: [`Pkcs11Signer::sign`] sends the signed attributes to
//! the token with `CKM_SHA256_RSA_PKCS` (or `CKM_SHA256_RSA_PKCS_PSS`), or hashes them here and
//! sends the digest with `CKM_ECDSA`, whose raw `r‖s` output is re-encoded as a DER
//! `ECDSA-Sig-Value` (RFC 5480 §2.2 via the `ecdsa` types). The signer's certificate is the token
//! certificate whose `CKA_ID` matches the key's; other token certificates that issued it form the
//! chain. The PIN is held only as a `secrecy` string for the login call and never stored.

use std::path::{Path, PathBuf};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use der::Decode;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::SignError;
use super::keys::{DigestAlgorithm, RsaScheme, Signer, check_certificate_usable};

/// A token present in a slot, as listed to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    /// The slot's id.
    pub slot_id: u64,
    /// The token label the user chooses by.
    pub label: String,
    /// Manufacturer, e.g. "SoftHSM project".
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Serial number.
    pub serial_number: String,
}

/// A loaded PKCS#11 module (the vendor's `.so`/`.dll`).
pub struct Pkcs11Module {
    path: PathBuf,
    context: Pkcs11,
}

impl std::fmt::Debug for Pkcs11Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Module")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn token_error(path: &Path, what: &str, error: CkError) -> SignError {
    SignError::Pkcs11 {
        module: path.to_path_buf(),
        reason: format!("{what}: {error}"),
    }
}

impl Pkcs11Module {
    /// Loads and initializes the module at `path`.
    pub fn load(path: &Path) -> Result<Self, SignError> {
        let context =
            Pkcs11::new(path).map_err(|e| token_error(path, "cannot load the module", e))?;
        match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(token_error(path, "cannot initialize the module", e)),
        }
        Ok(Pkcs11Module {
            path: path.to_path_buf(),
            context,
        })
    }

    /// The tokens currently inserted. A slot whose token cannot be read (pulled out while being
    /// listed, or broken) is skipped, so one bad token does not hide the others.
    pub fn tokens(&self) -> Result<Vec<TokenSummary>, SignError> {
        let slots = self
            .context
            .get_slots_with_token()
            .map_err(|e| token_error(&self.path, "cannot list slots", e))?;
        let mut tokens = Vec::new();
        for slot in slots {
            let Ok(info) = self.context.get_token_info(slot) else {
                continue;
            };
            if !info.token_initialized() {
                continue;
            }
            tokens.push(TokenSummary {
                slot_id: slot.id(),
                label: info.label().trim().to_owned(),
                manufacturer: info.manufacturer_id().trim().to_owned(),
                model: info.model().trim().to_owned(),
                serial_number: info.serial_number().trim().to_owned(),
            });
        }
        Ok(tokens)
    }

    fn slot(&self, token_label: &str) -> Result<Slot, SignError> {
        let tokens = self.tokens()?;
        let Some(token) = tokens.iter().find(|t| t.label == token_label) else {
            return Err(SignError::TokenNotFound {
                label: token_label.to_owned(),
                available: tokens.iter().map(|t| t.label.clone()).collect(),
            });
        };
        Slot::try_from(token.slot_id).map_err(|e| token_error(&self.path, "invalid slot id", e))
    }

    /// The certificates stored on the token (readable without the PIN).
    pub fn certificates(&self, token_label: &str) -> Result<Vec<Certificate>, SignError> {
        let session = self
            .context
            .open_ro_session(self.slot(token_label)?)
            .map_err(|e| token_error(&self.path, "cannot open a session", e))?;
        Ok(token_certificates(&session, &self.path)?
            .into_iter()
            .map(|(_, cert)| cert)
            .collect())
    }

    /// Logs in to the token with `pin` and returns a signer for the key labelled `key_label`
    /// (or the only key with a certificate when `None`).
    pub fn open_signer(
        &self,
        token_label: &str,
        key_label: Option<&str>,
        pin: &str,
    ) -> Result<Pkcs11Signer, SignError> {
        let slot = self.slot(token_label)?;
        let session = self
            .context
            .open_ro_session(slot)
            .map_err(|e| token_error(&self.path, "cannot open a session", e))?;
        let pin = AuthPin::from(pin);
        match session.login(UserType::User, Some(&pin)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
            Err(CkError::Pkcs11(RvError::PinIncorrect, _)) => {
                let info = self.context.get_token_info(slot).ok();
                let remaining = match info {
                    Some(i) if i.user_pin_locked() => "the PIN is now locked",
                    Some(i) if i.user_pin_final_try() => "one try left before the token locks",
                    Some(i) if i.user_pin_count_low() => "few tries left before the token locks",
                    _ => "the token does not report the remaining tries",
                };
                return Err(SignError::WrongPin {
                    token: token_label.to_owned(),
                    remaining: remaining.to_owned(),
                });
            }
            Err(CkError::Pkcs11(RvError::PinLocked, _)) => {
                return Err(SignError::PinLocked {
                    token: token_label.to_owned(),
                });
            }
            Err(e) => return Err(token_error(&self.path, "cannot log in", e)),
        }
        drop(pin);

        let certificates = token_certificates(&session, &self.path)?;
        let mut template = vec![Attribute::Class(ObjectClass::PRIVATE_KEY)];
        if let Some(label) = key_label {
            template.push(Attribute::Label(label.as_bytes().to_vec()));
        }
        let keys = session
            .find_objects(&template)
            .map_err(|e| token_error(&self.path, "cannot search keys", e))?;
        let mut candidates = Vec::new();
        for key in keys {
            let attributes = session
                .get_attributes(key, &[AttributeType::Id, AttributeType::Label])
                .map_err(|e| token_error(&self.path, "cannot read a key", e))?;
            let (mut id, mut label) = (Vec::new(), String::new());
            for attribute in attributes {
                match attribute {
                    Attribute::Id(value) => id = value,
                    Attribute::Label(value) => label = String::from_utf8_lossy(&value).into_owned(),
                    _ => {}
                }
            }
            if let Some((_, cert)) = certificates.iter().find(|(cert_id, _)| *cert_id == id) {
                candidates.push((key, label, cert.clone()));
            }
        }
        let (key, _, certificate) = match candidates.len() {
            1 => candidates.remove(0),
            0 => {
                return Err(SignError::KeyNotFound {
                    token: token_label.to_owned(),
                    reason: match key_label {
                        Some(label) => {
                            format!("no private key labelled \"{label}\" with a certificate")
                        }
                        None => "no private key with a matching certificate (same CKA_ID)".into(),
                    },
                });
            }
            _ => {
                return Err(SignError::KeyNotFound {
                    token: token_label.to_owned(),
                    reason: format!(
                        "several keys ({}); choose one by its label",
                        candidates
                            .iter()
                            .map(|(_, l, _)| l.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        };
        check_certificate_usable(&certificate, std::time::SystemTime::now())?;
        let chain = issuer_chain(
            &certificate,
            certificates.into_iter().map(|(_, c)| c).collect(),
        );
        let kind = key_kind(&certificate)?;
        let max_signature_len = match kind {
            KeyKind::Rsa => {
                let modulus = session
                    .get_attributes(key, &[AttributeType::Modulus])
                    .map_err(|e| token_error(&self.path, "cannot read the key size", e))?;
                match modulus.first() {
                    Some(Attribute::Modulus(m)) => m.iter().skip_while(|b| **b == 0).count(),
                    _ => 512,
                }
            }
            KeyKind::P256 => 72,
            KeyKind::P384 => 104,
        };
        Ok(Pkcs11Signer {
            module: self.path.clone(),
            session,
            key,
            certificate,
            chain,
            kind,
            rsa_scheme: RsaScheme::default(),
            max_signature_len,
        })
    }
}

/// `(CKA_ID, certificate)` for every X.509 certificate object on the token.
fn token_certificates(
    session: &Session,
    module: &Path,
) -> Result<Vec<(Vec<u8>, Certificate)>, SignError> {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(|e| token_error(module, "cannot search certificates", e))?;
    let mut certificates = Vec::new();
    for handle in handles {
        let attributes = session
            .get_attributes(handle, &[AttributeType::Id, AttributeType::Value])
            .map_err(|e| token_error(module, "cannot read a certificate", e))?;
        let (mut id, mut value) = (Vec::new(), Vec::new());
        for attribute in attributes {
            match attribute {
                Attribute::Id(v) => id = v,
                Attribute::Value(v) => value = v,
                _ => {}
            }
        }
        if let Ok(cert) = Certificate::from_der(&value) {
            certificates.push((id, cert));
        }
    }
    Ok(certificates)
}

/// The issuers of `certificate` found among `pool`, nearest first, self-signed roots excluded.
fn issuer_chain(certificate: &Certificate, pool: Vec<Certificate>) -> Vec<Certificate> {
    let mut chain: Vec<Certificate> = Vec::new();
    let mut current = certificate.clone();
    while let Some(issuer) = pool.iter().find(|c| {
        c.tbs_certificate().subject() == current.tbs_certificate().issuer()
            && c.tbs_certificate().subject() != c.tbs_certificate().issuer()
            && !chain.contains(c)
            && **c != current
    }) {
        chain.push(issuer.clone());
        current = issuer.clone();
    }
    chain
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    P256,
    P384,
}

fn key_kind(certificate: &Certificate) -> Result<KeyKind, SignError> {
    use der::oid::db::rfc5912;
    let spki = certificate.tbs_certificate().subject_public_key_info();
    if spki.algorithm.oid == rfc5912::RSA_ENCRYPTION {
        return Ok(KeyKind::Rsa);
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<der::oid::ObjectIdentifier>().ok());
    match curve {
        Some(oid) if oid == rfc5912::SECP_256_R_1 => Ok(KeyKind::P256),
        Some(oid) if oid == rfc5912::SECP_384_R_1 => Ok(KeyKind::P384),
        _ => Err(SignError::Certificate {
            reason: format!("unsupported public key algorithm {}", spki.algorithm.oid),
        }),
    }
}

/// A logged-in token session holding the key handle; signs on the token.
pub struct Pkcs11Signer {
    module: PathBuf,
    session: Session,
    key: ObjectHandle,
    certificate: Certificate,
    chain: Vec<Certificate>,
    kind: KeyKind,
    rsa_scheme: RsaScheme,
    max_signature_len: usize,
}

impl std::fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Signer")
            .field("module", &self.module)
            .field(
                "subject",
                &super::keys::subject_common_name(&self.certificate),
            )
            .finish_non_exhaustive()
    }
}

impl Pkcs11Signer {
    /// Chooses the RSA scheme (ignored for ECDSA keys).
    pub fn with_rsa_scheme(mut self, scheme: RsaScheme) -> Self {
        self.rsa_scheme = scheme;
        self
    }
}

impl Signer for Pkcs11Signer {
    fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn digest_algorithm(&self) -> DigestAlgorithm {
        match self.kind {
            KeyKind::P384 => DigestAlgorithm::Sha384,
            _ => DigestAlgorithm::Sha256,
        }
    }

    fn signature_algorithm(&self) -> Result<AlgorithmIdentifierOwned, SignError> {
        use der::oid::db::rfc5912;
        let identifier = |oid| AlgorithmIdentifierOwned {
            oid,
            parameters: None,
        };
        match (self.kind, self.rsa_scheme) {
            (KeyKind::Rsa, RsaScheme::Pkcs1v15) => Ok(AlgorithmIdentifierOwned {
                oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            }),
            (KeyKind::Rsa, RsaScheme::Pss) => rsa::pss::get_default_pss_signature_algo_id::<
                sha2::Sha256,
            >()
            .map_err(|e| SignError::Cms {
                reason: format!("RSASSA-PSS parameters: {e}"),
            }),
            (KeyKind::P256, _) => Ok(identifier(rfc5912::ECDSA_WITH_SHA_256)),
            (KeyKind::P384, _) => Ok(identifier(rfc5912::ECDSA_WITH_SHA_384)),
        }
    }

    fn max_signature_len(&self) -> usize {
        self.max_signature_len
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let failed = |e: CkError| SignError::Signature {
            reason: format!("the token refused to sign: {e} (is it still inserted?)"),
        };
        match (self.kind, self.rsa_scheme) {
            (KeyKind::Rsa, RsaScheme::Pkcs1v15) => self
                .session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
                .map_err(failed),
            (KeyKind::Rsa, RsaScheme::Pss) => {
                let params = PkcsPssParams {
                    hash_alg: cryptoki::mechanism::MechanismType::SHA256,
                    mgf: PkcsMgfType::MGF1_SHA256,
                    s_len: 32.into(),
                };
                self.session
                    .sign(&Mechanism::Sha256RsaPkcsPss(params), self.key, message)
                    .map_err(failed)
            }
            (KeyKind::P256, _) => {
                let digest = DigestAlgorithm::Sha256.digest(message);
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, self.key, &digest)
                    .map_err(failed)?;
                let signature =
                    p256::ecdsa::Signature::from_slice(&raw).map_err(|e| SignError::Signature {
                        reason: format!("the token returned a malformed ECDSA signature: {e}"),
                    })?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
            (KeyKind::P384, _) => {
                let digest = DigestAlgorithm::Sha384.digest(message);
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, self.key, &digest)
                    .map_err(failed)?;
                let signature =
                    p384::ecdsa::Signature::from_slice(&raw).map_err(|e| SignError::Signature {
                        reason: format!("the token returned a malformed ECDSA signature: {e}"),
                    })?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }
}
