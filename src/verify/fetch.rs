//! Online revocation sources: the URLs a certificate names (CRL distribution points, RFC 5280
//! §4.2.1.13; OCSP in the authority information access, §4.2.2.1) and a [`Fetcher`] that downloads
//! CRLs and asks OCSP responders over HTTP(S) with a short timeout.
//!
//! A verification run shares one fetcher (in the [`super::TrustStore`]), so a CRL is downloaded at
//! most once per run however many files it covers; failures are cached too, so an unreachable
//! server costs one timeout, not one per file. A long-running server (the sandbox portal) gives the
//! cache a lifetime ([`Fetcher::with_cache_lifetime`]) so answers are fetched again after it.
//! Nothing here blocks for longer than the timeout.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use der::{Decode, DecodePem};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};

/// Largest CRL or OCSP answer read (national CA CRLs are a few MB).
const MAX_BODY: u64 = 32 << 20;

/// The default timeout of one request (connect + answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(4);

/// HTTP(S) URLs of the certificate's CRL distribution points (LDAP ones are skipped).
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    let Ok(Some((_, points))) = cert
        .tbs_certificate()
        .get_extension::<CrlDistributionPoints>()
    else {
        return Vec::new();
    };
    let mut urls = Vec::new();
    for point in points.0 {
        if let Some(DistributionPointName::FullName(names)) = point.distribution_point {
            urls.extend(names.iter().filter_map(http_url));
        }
    }
    urls
}

/// HTTP(S) URLs of the certificate's OCSP responders.
pub fn ocsp_urls(cert: &Certificate) -> Vec<String> {
    let Ok(Some((_, access))) = cert
        .tbs_certificate()
        .get_extension::<AuthorityInfoAccessSyntax>()
    else {
        return Vec::new();
    };
    access
        .0
        .iter()
        .filter(|a| a.access_method == der::oid::db::rfc5280::ID_AD_OCSP)
        .filter_map(|a| http_url(&a.access_location))
        .collect()
}

/// Whether the certificate names any revocation source at all (CRL DP or OCSP, any scheme).
pub fn declares_sources(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    let has_dp =
        matches!(tbs.get_extension::<CrlDistributionPoints>(), Ok(Some((_, p))) if !p.0.is_empty());
    let has_ocsp = matches!(
        tbs.get_extension::<AuthorityInfoAccessSyntax>(),
        Ok(Some((_, a))) if a.0.iter().any(|d| d.access_method == der::oid::db::rfc5280::ID_AD_OCSP)
    );
    has_dp || has_ocsp
}

fn http_url(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(uri) => {
            let s = uri.as_str();
            (s.starts_with("http://") || s.starts_with("https://")).then(|| s.to_owned())
        }
        _ => None,
    }
}

/// A fetch's outcome as cached: the value, or why it failed.
type Cached<T> = Result<Arc<T>, String>;
/// A cache entry: when it was fetched, and the outcome.
type Entry<T> = (Instant, Cached<T>);
/// An OCSP cache key: the responder URL and the DER request.
type OcspKey = (String, Vec<u8>);

/// Downloads CRLs and asks OCSP responders, with a timeout and a per-run cache.
pub struct Fetcher {
    agent: ureq::Agent,
    /// By URL.
    crls: Mutex<HashMap<String, Entry<CertificateList>>>,
    /// By (URL, DER request).
    ocsp: Mutex<HashMap<OcspKey, Entry<Vec<u8>>>>,
    /// How long a cached outcome is used; `None`: for the fetcher's whole life (one run).
    lifetime: Option<Duration>,
}

/// The cached outcome for `key`, unless it is older than `lifetime`.
fn cached<K: std::hash::Hash + Eq, T>(
    cache: &Mutex<HashMap<K, Entry<T>>>,
    key: &K,
    lifetime: Option<Duration>,
) -> Option<Cached<T>> {
    let cache = cache.lock().ok()?;
    let (at, outcome) = cache.get(key)?;
    match lifetime {
        Some(lifetime) if at.elapsed() > lifetime => None,
        _ => Some(outcome.clone()),
    }
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A fetcher whose every request gives up after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(true)
            .build()
            .into();
        Fetcher {
            agent,
            crls: Mutex::new(HashMap::new()),
            ocsp: Mutex::new(HashMap::new()),
            lifetime: None,
        }
    }

    /// This fetcher, using each downloaded CRL, OCSP answer or failure for at most `lifetime`.
    pub fn with_cache_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    fn read(mut response: ureq::http::Response<ureq::Body>) -> Result<Vec<u8>, String> {
        response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| format!("cannot read the answer: {e}"))
    }

    /// The CRL at `url` (DER or PEM), downloaded once per fetcher.
    pub fn crl(&self, url: &str) -> Result<Arc<CertificateList>, String> {
        if let Some(cached) = cached(&self.crls, &url.to_owned(), self.lifetime) {
            return cached;
        }
        let result = self
            .agent
            .get(url)
            .call()
            .map_err(|e| format!("cannot download the CRL {url}: {e}"))
            .and_then(Self::read)
            .and_then(|body| {
                if body.starts_with(b"-----") {
                    CertificateList::from_pem(&body)
                } else {
                    CertificateList::from_der(&body)
                }
                .map(Arc::new)
                .map_err(|e| format!("{url} is not a CRL: {e}"))
            });
        if let Ok(mut cache) = self.crls.lock() {
            cache.insert(url.to_owned(), (Instant::now(), result.clone()));
        }
        result
    }

    /// Posts the DER OCSP `request` to `url` and returns the DER answer (cached per request).
    pub fn ocsp(&self, url: &str, request: &[u8]) -> Result<Arc<Vec<u8>>, String> {
        let key = (url.to_owned(), request.to_vec());
        if let Some(cached) = cached(&self.ocsp, &key, self.lifetime) {
            return cached;
        }
        let result = self
            .agent
            .post(url)
            .header("Content-Type", "application/ocsp-request")
            .send(request)
            .map_err(|e| format!("no answer: {e}"))
            .and_then(Self::read)
            .map(Arc::new);
        if let Ok(mut cache) = self.ocsp.lock() {
            cache.insert(key, (Instant::now(), result.clone()));
        }
        result
    }
}

impl Default for Fetcher {
    fn default() -> Self {
        Fetcher::new(DEFAULT_TIMEOUT)
    }
}
