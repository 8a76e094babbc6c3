//! Signing keys: the [`Signer`] trait and the software key loaded from a PKCS#12 or PEM file.
//!
//! The trait is the seam between the CMS/PDF code and wherever the private key lives. A software
//! key ([`SoftwareSigner`]) comes from a .p12/.pfx file (modern PBES2/AES or legacy 3DES/RC2
//! encryption, decrypted by `p12-keystore`) or from PEM files (PKCS#8 key + certificate chain). A
//! PKCS#11 token will implement the same trait later, so nothing outside this file knows where the
//! key is. Loading checks the certificate the way a validator would (validity period, key usage,
//! key/certificate match) so a clerk learns the problem before signing, not from the portal.

use std::path::Path;

use der::{Decode, Encode};
use pkcs8::DecodePrivateKey;
use signature::Signer as _;
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey};
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsage;

use super::SignError;

/// The message digest used for the document and the signed attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-256 (RFC 5754 §2.2).
    Sha256,
    /// SHA-384 (RFC 5754 §2.3).
    Sha384,
}

impl DigestAlgorithm {
    /// The algorithm's object identifier.
    pub fn oid(self) -> der::oid::ObjectIdentifier {
        match self {
            DigestAlgorithm::Sha256 => der::oid::db::rfc5912::ID_SHA_256,
            DigestAlgorithm::Sha384 => der::oid::db::rfc5912::ID_SHA_384,
        }
    }

    /// Hashes `parts` as one message.
    pub fn digest_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            DigestAlgorithm::Sha256 => {
                let mut hasher = sha2::Sha256::new();
                parts.iter().for_each(|part| hasher.update(part));
                hasher.finalize().to_vec()
            }
            DigestAlgorithm::Sha384 => {
                let mut hasher = sha2::Sha384::new();
                parts.iter().for_each(|part| hasher.update(part));
                hasher.finalize().to_vec()
            }
        }
    }

    /// Hashes one message.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        self.digest_parts(&[data])
    }

    /// An incremental hasher, for data that arrives in pieces (a file being written).
    pub fn hasher(self) -> Hasher {
        use sha2::Digest;
        match self {
            DigestAlgorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            DigestAlgorithm::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
        }
    }
}

/// A running [`DigestAlgorithm`] hash.
#[derive(Debug, Clone)]
pub enum Hasher {
    /// SHA-256 state.
    Sha256(sha2::Sha256),
    /// SHA-384 state.
    Sha384(sha2::Sha384),
}

impl Hasher {
    /// Adds `data` to the message.
    pub fn update(&mut self, data: &[u8]) {
        use sha2::Digest;
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
        }
    }

    /// The digest of everything added.
    pub fn finish(self) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
        }
    }
}

/// Where a private key lives and how it signs. Implemented by [`SoftwareSigner`]; a PKCS#11
/// token implements it too, so the PDF and CMS code never see the key itself.
pub trait Signer {
    /// The signer's own certificate.
    fn certificate(&self) -> &Certificate;
    /// Intermediate CA certificates to embed in the signature (signer first is *not* included).
    fn chain(&self) -> &[Certificate];
    /// The digest the signature is computed with.
    fn digest_algorithm(&self) -> DigestAlgorithm;
    /// The `signatureAlgorithm` of the CMS SignerInfo (RFC 5652 §5.3).
    fn signature_algorithm(&self) -> Result<AlgorithmIdentifierOwned, SignError>;
    /// An upper bound of the signature length in bytes, used to size the PDF placeholder.
    fn max_signature_len(&self) -> usize;
    /// Signs `message` (the DER of the CMS signed attributes); hashing is the signer's job, as a
    /// PKCS#11 mechanism such as `CKM_SHA256_RSA_PKCS` does it on the token.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// RSA signature scheme to use with an RSA key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RsaScheme {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2): what every validator accepts.
    #[default]
    Pkcs1v15,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32 (RFC 8017 §8.1, RFC 4056).
    Pss,
}

enum SoftwareKey {
    Rsa(rsa::PrivateKey, RsaScheme),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

/// A private key held in memory, with its certificate and chain.
pub struct SoftwareSigner {
    key: SoftwareKey,
    certificate: Certificate,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("SoftwareSigner")
            .field("subject", &subject_common_name(&self.certificate))
            .finish_non_exhaustive()
    }
}

impl SoftwareSigner {
    /// Loads the key and certificates from a PKCS#12 file (`.p12`/`.pfx`), modern (PBES2/AES) or
    /// legacy (3DES/RC2), and checks the certificate is usable now.
    pub fn from_pkcs12_file(path: &Path, password: &str) -> Result<Self, SignError> {
        let data = std::fs::read(path).map_err(|e| SignError::io(path, e))?;
        Self::from_pkcs12(&data, password, path)
    }

    /// Like [`Self::from_pkcs12_file`] for bytes already read; `origin` names them in errors.
    pub fn from_pkcs12(data: &[u8], password: &str, origin: &Path) -> Result<Self, SignError> {
        let store = p12_keystore::KeyStore::from_pkcs12(
            data,
            password,
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .map_err(|e| SignError::Pkcs12 {
            path: origin.to_path_buf(),
            reason: e.to_string(),
        })?;
        let (_, key_chain) = store
            .private_key_chain()
            .ok_or_else(|| SignError::KeyFile {
                path: origin.to_path_buf(),
                reason: "it contains no private key with a certificate".into(),
            })?;
        let mut certificates = Vec::new();
        for cert in key_chain.certs() {
            certificates.push(Certificate::from_der(cert.as_der()).map_err(|e| {
                SignError::KeyFile {
                    path: origin.to_path_buf(),
                    reason: format!("a certificate cannot be decoded: {e}"),
                }
            })?);
        }
        Self::from_parts(key_chain.key().as_der(), certificates, origin)
    }

    /// Loads a PKCS#8 PEM private key (`BEGIN PRIVATE KEY`) and a PEM certificate file whose first
    /// certificate is the signer's and the rest its intermediates.
    pub fn from_pem_files(key_path: &Path, chain_path: &Path) -> Result<Self, SignError> {
        let key_pem = std::fs::read_to_string(key_path).map_err(|e| SignError::io(key_path, e))?;
        let (_, key_der) =
            pkcs8::SecretDocument::from_pem(&key_pem).map_err(|e| SignError::KeyFile {
                path: key_path.to_path_buf(),
                reason: format!("not an unencrypted PKCS#8 PEM key: {e}"),
            })?;
        let chain_pem = std::fs::read(chain_path).map_err(|e| SignError::io(chain_path, e))?;
        let certificates =
            Certificate::load_pem_chain(&chain_pem).map_err(|e| SignError::KeyFile {
                path: chain_path.to_path_buf(),
                reason: format!("not a PEM certificate chain: {e}"),
            })?;
        Self::from_parts(key_der.as_bytes(), certificates, key_path)
    }

    /// Chooses the RSA scheme (ignored for ECDSA keys).
    pub fn with_rsa_scheme(mut self, scheme: RsaScheme) -> Self {
        if let SoftwareKey::Rsa(_, current) = &mut self.key {
            *current = scheme;
        }
        self
    }

    fn from_parts(
        pkcs8_der: &[u8],
        certificates: Vec<Certificate>,
        origin: &Path,
    ) -> Result<Self, SignError> {
        let key = decode_private_key(pkcs8_der, origin)?;
        let public_key_der = match &key {
            SoftwareKey::Rsa(k, _) => rsa::PublicKey::from(k).to_public_key_der(),
            SoftwareKey::P256(k) => k.verifying_key().to_public_key_der(),
            SoftwareKey::P384(k) => k.verifying_key().to_public_key_der(),
        }
        .map_err(|e| SignError::KeyFile {
            path: origin.to_path_buf(),
            reason: format!("cannot encode the public key: {e}"),
        })?;
        // The signer's certificate is the one whose public key matches the private key; the
        // others are its chain.
        let position = certificates.iter().position(|cert| {
            cert.tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .is_ok_and(|der| der == public_key_der.as_bytes())
        });
        let Some(position) = position else {
            return Err(match certificates.first() {
                Some(cert) => SignError::KeyCertificateMismatch {
                    path: origin.to_path_buf(),
                    subject: subject_common_name(cert),
                },
                None => SignError::KeyFile {
                    path: origin.to_path_buf(),
                    reason: "it contains no certificate".into(),
                },
            });
        };
        let mut chain = certificates;
        let certificate = chain.remove(position);
        check_certificate_usable(&certificate, std::time::SystemTime::now())?;
        Ok(SoftwareSigner {
            key,
            certificate,
            chain,
        })
    }
}

fn decode_private_key(der: &[u8], origin: &Path) -> Result<SoftwareKey, SignError> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| SignError::KeyFile {
        path: origin.to_path_buf(),
        reason: format!("the private key is not PKCS#8: {e}"),
    })?;
    let oid = info.algorithm.oid;
    let unsupported = |reason: String| SignError::UnsupportedKey {
        path: origin.to_path_buf(),
        reason,
    };
    if oid == der::oid::db::rfc5912::RSA_ENCRYPTION {
        rsa::PrivateKey::from_pkcs8_der(der)
            .map(|k| SoftwareKey::Rsa(k, RsaScheme::default()))
            .map_err(|e| unsupported(format!("RSA key cannot be decoded: {e}")))
    } else if oid == der::oid::db::rfc5912::ID_EC_PUBLIC_KEY {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            Ok(SoftwareKey::P256(k))
        } else if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
            Ok(SoftwareKey::P384(k))
        } else {
            Err(unsupported(
                "EC key on a curve other than P-256/P-384".into(),
            ))
        }
    } else {
        Err(unsupported(format!("key algorithm {oid}")))
    }
}

impl Signer for SoftwareSigner {
    fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn digest_algorithm(&self) -> DigestAlgorithm {
        match self.key {
            SoftwareKey::P384(_) => DigestAlgorithm::Sha384,
            _ => DigestAlgorithm::Sha256,
        }
    }

    fn signature_algorithm(&self) -> Result<AlgorithmIdentifierOwned, SignError> {
        let result = match &self.key {
            SoftwareKey::Rsa(k, RsaScheme::Pkcs1v15) => {
                rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone())
                    .signature_algorithm_identifier()
            }
            SoftwareKey::Rsa(k, RsaScheme::Pss) => {
                rsa::pss::SigningKey::<sha2::Sha256>::new(k.clone())
                    .signature_algorithm_identifier()
            }
            SoftwareKey::P256(k) => k.signature_algorithm_identifier(),
            SoftwareKey::P384(k) => k.signature_algorithm_identifier(),
        };
        result.map_err(|e| SignError::Cms {
            reason: format!("signature algorithm identifier: {e}"),
        })
    }

    fn max_signature_len(&self) -> usize {
        use rsa::traits::PublicKeyParts;
        match &self.key {
            SoftwareKey::Rsa(k, _) => k.size(),
            // DER ECDSA-Sig-Value: SEQUENCE of two INTEGERs, each at most field size + 1.
            SoftwareKey::P256(_) => 72,
            SoftwareKey::P384(_) => 104,
        }
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let failed = |e: signature::Error| SignError::Signature {
            reason: e.to_string(),
        };
        match &self.key {
            SoftwareKey::Rsa(k, RsaScheme::Pkcs1v15) => {
                let key = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone());
                let sig = key.try_sign(message).map_err(failed)?;
                Ok(Box::<[u8]>::from(sig).into_vec())
            }
            SoftwareKey::Rsa(k, RsaScheme::Pss) => {
                let key = rsa::pss::SigningKey::<sha2::Sha256>::new(k.clone());
                let sig = key.try_sign(message).map_err(failed)?;
                Ok(Box::<[u8]>::from(sig).into_vec())
            }
            SoftwareKey::P256(k) => {
                let sig: p256::ecdsa::Signature = k.try_sign(message).map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            SoftwareKey::P384(k) => {
                let sig: p384::ecdsa::Signature = k.try_sign(message).map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

/// Refuses a certificate that a validator would reject for a signature made `now`: outside its
/// validity period (RFC 5280 §4.1.2.5) or whose key usage (§4.2.1.3) allows neither
/// digitalSignature nor nonRepudiation. A certificate without the extension is unrestricted.
pub fn check_certificate_usable(
    certificate: &Certificate,
    now: std::time::SystemTime,
) -> Result<(), SignError> {
    let tbs = certificate.tbs_certificate();
    let validity = tbs.validity();
    let subject = subject_common_name(certificate);
    if now < validity.not_before.to_system_time() {
        return Err(SignError::CertificateNotYetValid {
            subject,
            not_before: validity.not_before.to_string(),
        });
    }
    if now > validity.not_after.to_system_time() {
        return Err(SignError::CertificateExpired {
            subject,
            not_after: validity.not_after.to_string(),
        });
    }
    let key_usage = tbs
        .get_extension::<KeyUsage>()
        .map_err(|e| SignError::Certificate {
            reason: format!("the key usage extension of \"{subject}\" cannot be decoded: {e}"),
        })?;
    let allows_signing =
        key_usage.is_none_or(|(_, usage)| usage.digital_signature() || usage.non_repudiation());
    if !allows_signing {
        return Err(SignError::CertificateKeyUsage { subject });
    }
    Ok(())
}

/// The subject's common name (the person's name on Vietnamese certificates), or the whole
/// distinguished name when it has none.
pub fn subject_common_name(certificate: &Certificate) -> String {
    name_attribute(certificate, der::oid::db::rfc4519::CN)
        .unwrap_or_else(|| certificate.tbs_certificate().subject().to_string())
}

/// The subject's organisation (O), if present.
pub fn subject_organization(certificate: &Certificate) -> Option<String> {
    name_attribute(certificate, der::oid::db::rfc4519::O)
}

fn name_attribute(certificate: &Certificate, oid: der::oid::ObjectIdentifier) -> Option<String> {
    certificate
        .tbs_certificate()
        .subject()
        .iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| {
            let value = &atv.value;
            der::asn1::Utf8StringRef::try_from(value)
                .map(|s| s.as_str().to_owned())
                .or_else(|_| der::asn1::PrintableStringRef::try_from(value).map(|s| s.to_string()))
                .ok()
        })
}
