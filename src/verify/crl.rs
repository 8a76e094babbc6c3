//! Using CRLs as revocation proof (RFC 5280 §5, §6.3): which CRLs count for a certificate, and
//! delta CRLs applied on top of their base.
//!
//! A CRL counts when its issuer name is the certificate's issuer, its signature verifies with the
//! issuer's key, it is not dated in the future, it covers the certificate (no issuing distribution
//! point limiting it to some reasons, to CA or to end-entity certificates, §5.2.5, and when it names a
//! distribution point, the certificate lists that point among its CRL distribution points, §6.3.3
//! (b)(2)(i): a partitioned CRL says nothing of the other partitions) and it is not stale (its
//! nextUpdate is not before the reference time, see [`super::revocation`]).
//!
//! Delta CRLs (§5.2.4, extension deltaCRLIndicator): a delta found next to a complete CRL of the
//! same issuer whose CRL number is at least the delta's BaseCRLNumber and below the delta's own
//! number is applied to it: an entry in the delta revokes (or, with reason removeFromCRL, lifts a
//! hold), and freshness is then judged on the delta, which is what makes it current. A delta
//! without a usable base is not a proof. Indirect CRLs (§5.2.5 indirectCRL, or entries carrying
//! the certificateIssuer extension, §5.3.3) are not evaluated: they are reported as not checked.

use std::cmp::Ordering;
use std::time::{Duration, SystemTime};

use der::Decode;
use der::asn1::Uint;
use x509_cert::Certificate;
use x509_cert::crl::{CertificateList, RevokedCert};
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::ext::pkix::CrlDistributionPoints;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::crl::{BaseCrlNumber, CrlNumber, CrlReason};
use x509_cert::ext::pkix::name::DistributionPointName;

use super::revocation::Times;
use super::trust::subject_name;

/// What the CRLs say about a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrlAnswer {
    /// Not listed in a usable CRL (and its delta).
    Good,
    /// Listed, revoked at this time.
    Revoked(SystemTime),
}

fn date(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339()
}

/// The CRL extension `T`, if present and decodable.
fn extension<T: for<'a> Decode<'a> + der::oid::AssociatedOid>(crl: &CertificateList) -> Option<T> {
    extension_by_oid(crl, T::OID)
}

/// The CRL extension with this OID, decoded as `T` (for types whose `AssociatedOid` is wrong:
/// x509-cert 0.3.0 gives `IssuingDistributionPoint` the OID of subjectInfoAccess).
fn extension_by_oid<T: for<'a> Decode<'a>>(
    crl: &CertificateList,
    oid: der::oid::ObjectIdentifier,
) -> Option<T> {
    crl.tbs_cert_list
        .crl_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oid)
        .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
}

/// The CRL's issuing distribution point (RFC 5280 §5.2.5, id-ce-issuingDistributionPoint).
fn issuing_distribution_point(crl: &CertificateList) -> Option<IssuingDistributionPoint> {
    extension_by_oid(crl, der::oid::db::rfc5280::ID_CE_ISSUING_DISTRIBUTION_POINT)
}

fn entry_extension<T: for<'a> Decode<'a> + der::oid::AssociatedOid>(
    entry: &RevokedCert,
) -> Option<T> {
    entry
        .crl_entry_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == T::OID)
        .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
}

/// Compares two non-negative INTEGERs (CRL numbers are up to 20 octets, §5.2.3).
fn compare(a: &Uint, b: &Uint) -> Ordering {
    let trim = |u: &Uint| -> Vec<u8> {
        u.as_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect()
    };
    let (a, b) = (trim(a), trim(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
}

/// Whether `crl` is a delta CRL; its BaseCRLNumber.
fn base_number(crl: &CertificateList) -> Option<Uint> {
    extension::<BaseCrlNumber>(crl).map(|b| b.0)
}

fn crl_number(crl: &CertificateList) -> Option<Uint> {
    extension::<CrlNumber>(crl).map(|n| n.0)
}

/// Why `crl` cannot be used for `cert` whatever its dates: another scope (§5.2.5) or indirect.
fn scope_problem(crl: &CertificateList, cert: &Certificate, who: &str) -> Option<String> {
    let indirect = issuing_distribution_point(crl).is_some_and(|idp| idp.indirect_crl)
        || crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .any(|entry| {
                entry
                    .crl_entry_extensions
                    .iter()
                    .flatten()
                    .any(|e| e.extn_id == der::oid::db::rfc5280::ID_CE_CERTIFICATE_ISSUER)
            });
    if indirect {
        return Some(format!(
            "the CRL of “{who}” is an indirect CRL (entries of other issuers), which is not evaluated; not checked with it"
        ));
    }
    let idp = issuing_distribution_point(crl)?;
    if idp.only_some_reasons.is_some() {
        return Some(format!(
            "the CRL of “{who}” covers only some revocation reasons; not checked with it"
        ));
    }
    let is_ca = cert
        .tbs_certificate()
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, bc)| bc.ca);
    if idp.only_contains_attribute_certs
        || (idp.only_contains_ca_certs && !is_ca)
        || (idp.only_contains_user_certs && is_ca)
    {
        return Some(format!(
            "the CRL of “{who}” does not cover this kind of certificate (issuing distribution point); ignored"
        ));
    }
    if let Some(point) = &idp.distribution_point
        && !lists_point(cert, point)
    {
        return Some(format!(
            "the CRL of “{who}” covers another distribution point than this certificate's (a partitioned CRL); not checked with it"
        ));
    }
    None
}

/// Whether one of `cert`'s CRL distribution points has a name in common with `point` (§6.3.3 (b)(2)(i):
/// full names match when one general name is in both; names relative to the issuer when equal).
fn lists_point(cert: &Certificate, point: &DistributionPointName) -> bool {
    let Ok(Some((_, points))) = cert
        .tbs_certificate()
        .get_extension::<CrlDistributionPoints>()
    else {
        return false;
    };
    points
        .0
        .iter()
        .filter_map(|dp| dp.distribution_point.as_ref())
        .any(|listed| match (listed, point) {
            (DistributionPointName::FullName(a), DistributionPointName::FullName(b)) => {
                a.iter().any(|name| b.contains(name))
            }
            (
                DistributionPointName::NameRelativeToCRLIssuer(a),
                DistributionPointName::NameRelativeToCRLIssuer(b),
            ) => a == b,
            _ => false,
        })
}

/// Why `crl` cannot be used at all: bad signature or dated in the future.
fn signature_problem(crl: &CertificateList, issuer: &Certificate, times: &Times) -> Option<String> {
    let who = subject_name(issuer);
    if !super::trust::crl_verifies(crl, issuer) {
        return Some(format!(
            "a CRL naming “{who}” as issuer is not signed by its key; ignored"
        ));
    }
    let this_update = crl.tbs_cert_list.this_update.to_system_time();
    if this_update > times.now + Duration::from_secs(300) {
        return Some(format!(
            "the CRL of “{who}” is dated in the future ({}); ignored",
            date(this_update)
        ));
    }
    None
}

/// Why `crl` is too old to answer for the reference time.
fn staleness(crl: &CertificateList, who: &str, times: &Times) -> Option<String> {
    let tbs = &crl.tbs_cert_list;
    let next = tbs.next_update.map(|t| t.to_system_time())?;
    (next < times.reference()).then(|| {
        let kind = if base_number(crl).is_some() {
            "delta CRL"
        } else {
            "CRL"
        };
        format!(
            "stale {kind} of “{who}”: issued {}, next update {} is before {} {}; ignored",
            date(tbs.this_update.to_system_time()),
            date(next),
            times.against(),
            date(times.reference())
        )
    })
}

fn entry<'a>(crl: &'a CertificateList, cert: &Certificate) -> Option<&'a RevokedCert> {
    let serial = cert.tbs_certificate().serial_number();
    crl.tbs_cert_list
        .revoked_certificates
        .iter()
        .flatten()
        .find(|r| r.serial_number == *serial)
}

/// The answer of `base` completed by `delta` (§5.2.4).
fn combine(
    base: &CertificateList,
    delta: Option<&CertificateList>,
    cert: &Certificate,
) -> CrlAnswer {
    if let Some(listed) = delta.and_then(|d| entry(d, cert)) {
        return match entry_extension::<CrlReason>(listed) {
            Some(CrlReason::RemoveFromCRL) => CrlAnswer::Good,
            _ => CrlAnswer::Revoked(listed.revocation_date.to_system_time()),
        };
    }
    match entry(base, cert) {
        Some(listed) => CrlAnswer::Revoked(listed.revocation_date.to_system_time()),
        None => CrlAnswer::Good,
    }
}

/// What the `crls` (already of `cert`'s issuer name) say about `cert`, or `None` when none of
/// them is usable; why each unusable one was ignored goes to `notes`.
pub fn answer(
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[&CertificateList],
    times: &Times,
    notes: &mut Vec<String>,
) -> Option<CrlAnswer> {
    let who = subject_name(issuer);
    let mut note = |n: String| {
        if !notes.contains(&n) {
            notes.push(n);
        }
    };
    // Scope and signature first: what is left may serve as a base or as a delta.
    let usable: Vec<&CertificateList> = crls
        .iter()
        .copied()
        .filter(|crl| {
            match scope_problem(crl, cert, &who).or_else(|| signature_problem(crl, issuer, times)) {
                Some(problem) => {
                    note(problem);
                    false
                }
                None => true,
            }
        })
        .collect();
    let (deltas, complete): (Vec<&CertificateList>, Vec<&CertificateList>) =
        usable.into_iter().partition(|c| base_number(c).is_some());
    for base in &complete {
        let number = crl_number(base);
        let delta = deltas
            .iter()
            .copied()
            .filter(|d| match (&number, base_number(d), crl_number(d)) {
                (Some(number), Some(wants), Some(own)) => {
                    compare(number, &wants) != Ordering::Less
                        && compare(number, &own) == Ordering::Less
                }
                _ => false,
            })
            .max_by(|a, b| match (crl_number(a), crl_number(b)) {
                (Some(a), Some(b)) => compare(&a, &b),
                _ => Ordering::Equal,
            });
        match staleness(delta.unwrap_or(base), &who, times) {
            Some(problem) => note(problem),
            None => return Some(combine(base, delta, cert)),
        }
    }
    for delta in &deltas {
        note(format!(
            "a delta CRL of “{who}” (CRL number {}) has no usable base CRL next to it; not a proof on its own",
            crl_number(delta)
                .map(|n| hex::encode_upper(n.as_bytes()))
                .unwrap_or_else(|| "?".into())
        ));
    }
    None
}
