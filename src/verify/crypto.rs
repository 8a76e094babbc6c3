//! Digests and public-key signature checks for the verifier, by algorithm identifier.
//!
//! CMS (RFC 5652 §5.4), X.509 (RFC 5280 §4.1.1.2) and CRLs (RFC 5280 §5.1.1.2) all name a
//! signature by an `AlgorithmIdentifier`; this file maps those identifiers (RFC 3279, RFC 4055,
//! RFC 5754, RFC 5758) to the RustCrypto implementations and verifies against a
//! `SubjectPublicKeyInfo`. Supported: RSA PKCS#1 v1.5, RSA-PSS and ECDSA on P-256/P-384, with
//! SHA-1 (reported weak by the callers), SHA-256, SHA-384 and SHA-512. Nothing here knows of PDF.

use der::Encode;
use der::oid::ObjectIdentifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA1_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const SHA256_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ECDSA_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// A message digest the verifier can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Digest {
    /// SHA-1 (RFC 3174): broken for collisions, reported as weak.
    Sha1,
    /// SHA-256 (RFC 5754 §2.2).
    Sha256,
    /// SHA-384 (RFC 5754 §2.3).
    Sha384,
    /// SHA-512 (RFC 5754 §2.4).
    Sha512,
}

impl Digest {
    /// The digest named by `oid`, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Digest> {
        match *oid {
            SHA1 => Some(Digest::Sha1),
            SHA256 => Some(Digest::Sha256),
            SHA384 => Some(Digest::Sha384),
            SHA512 => Some(Digest::Sha512),
            _ => None,
        }
    }

    /// Hashes `parts` as one message.
    pub fn digest_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut hasher = D::new();
            parts.iter().for_each(|part| hasher.update(part));
            hasher.finalize().to_vec()
        }
        match self {
            Digest::Sha1 => run::<sha1::Sha1>(parts),
            Digest::Sha256 => run::<sha2::Sha256>(parts),
            Digest::Sha384 => run::<sha2::Sha384>(parts),
            Digest::Sha512 => run::<sha2::Sha512>(parts),
        }
    }

    /// Hashes one message.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        self.digest_parts(&[data])
    }

    /// Whether the digest is too weak to trust (SHA-1).
    pub fn is_weak(self) -> bool {
        self == Digest::Sha1
    }

    /// The conventional name, e.g. `sha256`.
    pub fn name(self) -> &'static str {
        match self {
            Digest::Sha1 => "sha1",
            Digest::Sha256 => "sha256",
            Digest::Sha384 => "sha384",
            Digest::Sha512 => "sha512",
        }
    }
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureProblem {
    /// The algorithm (or key type, or curve) is not one this verifier implements.
    Unsupported(String),
    /// The key or signature could not be decoded.
    Malformed(String),
    /// The signature does not match the message and key.
    Mismatch,
}

impl std::fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureProblem::Unsupported(what) => write!(f, "unsupported algorithm: {what}"),
            SignatureProblem::Malformed(what) => write!(f, "malformed key or signature: {what}"),
            SignatureProblem::Mismatch => f.write_str("the signature does not match"),
        }
    }
}

/// The digest a signature algorithm implies, falling back to `digest_hint` (the CMS
/// `digestAlgorithm`) for bare `rsaEncryption`/`id-ecPublicKey` identifiers.
fn signature_digest(
    algorithm: &AlgorithmIdentifierOwned,
    digest_hint: Option<Digest>,
) -> Result<Digest, SignatureProblem> {
    let unsupported = || SignatureProblem::Unsupported(algorithm.oid.to_string());
    match algorithm.oid {
        SHA1_RSA | ECDSA_SHA1 => Ok(Digest::Sha1),
        SHA256_RSA | ECDSA_SHA256 => Ok(Digest::Sha256),
        SHA384_RSA | ECDSA_SHA384 => Ok(Digest::Sha384),
        SHA512_RSA | ECDSA_SHA512 => Ok(Digest::Sha512),
        RSA_ENCRYPTION | EC_PUBLIC_KEY => digest_hint.ok_or_else(unsupported),
        RSA_PSS => {
            let params = pss_params(algorithm)?;
            Ok(params.0)
        }
        _ => Err(unsupported()),
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1): the hash and salt length; MGF1 must use the same hash.
fn pss_params(algorithm: &AlgorithmIdentifierOwned) -> Result<(Digest, usize), SignatureProblem> {
    let Some(parameters) = &algorithm.parameters else {
        // All defaults: SHA-1, salt 20.
        return Ok((Digest::Sha1, 20));
    };
    let encoded = parameters
        .to_der()
        .map_err(|e| SignatureProblem::Malformed(format!("RSA-PSS parameters: {e}")))?;
    let params = rsa::pkcs1::RsaPssParams::<der::Any>::try_from(encoded.as_slice())
        .map_err(|e| SignatureProblem::Malformed(format!("RSA-PSS parameters: {e}")))?;
    let digest = Digest::from_oid(&params.hash.oid)
        .ok_or_else(|| SignatureProblem::Unsupported(format!("PSS hash {}", params.hash.oid)))?;
    let mgf_digest = params
        .mask_gen
        .parameters
        .as_ref()
        .and_then(|p| Digest::from_oid(&p.oid))
        .unwrap_or(Digest::Sha1);
    if mgf_digest != digest {
        return Err(SignatureProblem::Unsupported(
            "RSA-PSS with an MGF1 hash different from the message hash".into(),
        ));
    }
    Ok((digest, usize::from(params.salt_len)))
}

/// The digest used by a signature algorithm (for reporting SHA-1).
pub fn algorithm_digest(
    algorithm: &AlgorithmIdentifierOwned,
    digest_hint: Option<Digest>,
) -> Option<Digest> {
    signature_digest(algorithm, digest_hint).ok()
}

/// Verifies `signature` over `message` with the key in `spki` and the algorithm `algorithm`.
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    digest_hint: Option<Digest>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureProblem> {
    verify_signature_parts(spki, algorithm, digest_hint, &[message], signature)
}

/// Like [`verify_signature`] over the concatenation of `parts` (a signature without signed
/// attributes covers the content itself, RFC 5652 §5.4).
pub fn verify_signature_parts(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    digest_hint: Option<Digest>,
    parts: &[&[u8]],
    signature: &[u8],
) -> Result<(), SignatureProblem> {
    let digest = signature_digest(algorithm, digest_hint)?;
    let hashed = digest.digest_parts(parts);
    let key_der = spki
        .to_der()
        .map_err(|e| SignatureProblem::Malformed(e.to_string()))?;
    match spki.algorithm.oid {
        RSA_ENCRYPTION | RSA_PSS => {
            use spki::DecodePublicKey as _;
            let key = rsa::PublicKey::from_public_key_der(&key_der)
                .map_err(|e| SignatureProblem::Malformed(format!("RSA key: {e}")))?;
            let result = if algorithm.oid == RSA_PSS {
                let (_, salt) = pss_params(algorithm)?;
                match digest {
                    Digest::Sha1 => key.verify(
                        rsa::pss::Pss::<sha1::Sha1>::new_with_salt(salt),
                        &hashed,
                        signature,
                    ),
                    Digest::Sha256 => key.verify(
                        rsa::pss::Pss::<sha2::Sha256>::new_with_salt(salt),
                        &hashed,
                        signature,
                    ),
                    Digest::Sha384 => key.verify(
                        rsa::pss::Pss::<sha2::Sha384>::new_with_salt(salt),
                        &hashed,
                        signature,
                    ),
                    Digest::Sha512 => key.verify(
                        rsa::pss::Pss::<sha2::Sha512>::new_with_salt(salt),
                        &hashed,
                        signature,
                    ),
                }
            } else {
                let scheme = match digest {
                    Digest::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                    Digest::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    Digest::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                    Digest::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                };
                key.verify(scheme, &hashed, signature)
            };
            result.map_err(|_| SignatureProblem::Mismatch)
        }
        EC_PUBLIC_KEY => {
            use signature::hazmat::PrehashVerifier as _;
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            match curve {
                Some(P256) => {
                    use spki::DecodePublicKey as _;
                    let key = p256::ecdsa::VerifyingKey::from_public_key_der(&key_der)
                        .map_err(|e| SignatureProblem::Malformed(format!("P-256 key: {e}")))?;
                    let sig = p256::ecdsa::Signature::from_der(signature)
                        .map_err(|e| SignatureProblem::Malformed(format!("ECDSA value: {e}")))?;
                    key.verify_prehash(&hashed, &sig)
                        .map_err(|_| SignatureProblem::Mismatch)
                }
                Some(P384) => {
                    use spki::DecodePublicKey as _;
                    let key = p384::ecdsa::VerifyingKey::from_public_key_der(&key_der)
                        .map_err(|e| SignatureProblem::Malformed(format!("P-384 key: {e}")))?;
                    let sig = p384::ecdsa::Signature::from_der(signature)
                        .map_err(|e| SignatureProblem::Malformed(format!("ECDSA value: {e}")))?;
                    key.verify_prehash(&hashed, &sig)
                        .map_err(|_| SignatureProblem::Mismatch)
                }
                other => Err(SignatureProblem::Unsupported(format!(
                    "elliptic curve {}",
                    other
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| "unknown".into())
                ))),
            }
        }
        other => Err(SignatureProblem::Unsupported(format!("key type {other}"))),
    }
}
