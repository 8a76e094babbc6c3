//! Evaluation of one file: every signature through integrity, CMS, time-stamp, trust and
//! modification checks, then the per-signature and per-file verdicts.

use std::time::SystemTime;

use lopdf::Document;

use super::crypto::Digest;
use super::diff::{self, ModificationLevel};
use super::existence::ExistenceProof;
use super::fieldmdp;
use super::pdf::{self, FoundSignature};
use super::trust::{Revocation, Usage};
use super::{
    FileReport, SignatureReport, TimeSource, TimestampReport, Verdict, VerifyOptions, cms, rfc3339,
    tsp,
};

/// Cuts the zero padding after the DER of the CMS in /Contents.
fn strip_padding(contents: &[u8]) -> &[u8] {
    use der::Decode as _;
    match der::Any::from_der_partial(contents) {
        Ok((_, rest)) => contents
            .get(..contents.len() - rest.len())
            .unwrap_or(contents),
        Err(_) => contents,
    }
}

/// From this size on, the file's SHA-256 (for the report) is computed on a second thread while
/// the signatures are checked: on a 20 MB file that hides one of the two passes over the bytes.
const PARALLEL_HASH_MIN: usize = 4 << 20;

fn file_sha256(bytes: &[u8]) -> String {
    hex::encode(Digest::Sha256.digest(bytes))
}

pub(super) fn evaluate(bytes: &[u8], name: &str, options: &VerifyOptions) -> FileReport {
    if bytes.len() < PARALLEL_HASH_MIN {
        let mut report = evaluate_signatures(bytes, name, options);
        report.sha256 = file_sha256(bytes);
        return report;
    }
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| file_sha256(bytes));
        let mut report = evaluate_signatures(bytes, name, options);
        report.sha256 = hashing.join().unwrap_or_else(|_| file_sha256(bytes));
        report
    })
}

/// The report without its `sha256`.
fn evaluate_signatures(bytes: &[u8], name: &str, options: &VerifyOptions) -> FileReport {
    let mut report = FileReport {
        path: name.to_owned(),
        verdict: Verdict::Indeterminate,
        size: bytes.len() as u64,
        sha256: String::new(),
        signatures: Vec::new(),
        errors: Vec::new(),
    };
    let doc = match pdf::load_without_image_data(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            report.errors.push(format!("not a readable PDF: {e}"));
            return report;
        }
    };
    let found = pdf::find_signatures(&doc);
    if found.is_empty() {
        report.errors.push("the file has no signatures".into());
        return report;
    }
    // Image data was left out above; comparing revisions needs it (a replaced image is a change).
    let doc = if pdf::has_later_revisions(bytes, &doc, &found) {
        match Document::load_mem(bytes) {
            Ok(doc) => doc,
            Err(e) => {
                report.errors.push(format!("not a readable PDF: {e}"));
                return report;
            }
        }
    } else {
        doc
    };
    removed_signatures(bytes, &doc, &found, &mut report.errors);
    let dss = Dss {
        certificates: pdf::dss_certificates(&doc),
        crls: pdf::dss_crls(&doc),
        ocsps: pdf::dss_ocsps(&doc),
    };
    let certification = pdf::certification(&doc);
    // Document time-stamps first: a valid one proves that the revisions it covers existed at
    // its time, which later serves the signatures before it that have no time-stamp of their own.
    let mut checked: Vec<Option<SignatureReport>> = found
        .iter()
        .map(|sig| {
            is_doc_timestamp(&sig.dictionary)
                .then(|| signature(bytes, &doc, sig, &dss, options, &[]))
        })
        .collect();
    let proofs: Vec<ExistenceProof> = checked
        .iter()
        .flatten()
        .filter_map(ExistenceProof::of)
        .collect();
    // Revisions are loaded once each and shared by the signatures that end there.
    let mut revisions: Vec<(usize, Option<Document>)> = Vec::new();
    for (sig, done) in found.iter().zip(checked.iter_mut()) {
        let mut one = match done.take() {
            Some(one) => one,
            None => signature(bytes, &doc, sig, &dss, options, &proofs),
        };
        if let Some((cert_id, p)) = certification
            && cert_id.is_some()
            && cert_id == sig.object
        {
            one.certification = Some(p);
        }
        modifications(bytes, &doc, sig, &mut one, certification, &mut revisions);
        one.verdict = signature_verdict(&one);
        report.signatures.push(one);
    }
    report.verdict = report
        .signatures
        .iter()
        .map(|s| s.verdict)
        .max()
        .unwrap_or(Verdict::Indeterminate);
    if !report.errors.is_empty() {
        report.verdict = Verdict::Invalid;
    }
    report
}

/// At most this many earlier revisions are searched for signatures that later disappeared.
const MAX_REVISIONS: usize = 64;

/// A signature present in an earlier revision but gone (or re-pointed) in the final one means a
/// later revision removed or replaced it: the file is not what its signers signed.
fn removed_signatures(
    bytes: &[u8],
    doc: &Document,
    found: &[FoundSignature],
    errors: &mut Vec<String>,
) {
    let now = pdf::byte_ranges(doc, found);
    let ends = pdf::revision_ends(bytes);
    for end in ends
        .iter()
        .filter(|e| **e < bytes.len())
        .take(MAX_REVISIONS)
    {
        let Some(prefix) = bytes.get(..*end) else {
            continue;
        };
        if !pdf::may_hold_signatures(prefix) {
            continue;
        }
        let Some(old) = pdf::load_structure(prefix) else {
            continue;
        };
        let before = pdf::find_signatures(&old);
        for range in pdf::byte_ranges(&old, &before) {
            if !now.contains(&range) {
                errors.push(format!(
                    "a signature of the revision ending at byte {end} (/ByteRange {range:?}) was removed or replaced by a later revision"
                ));
            }
        }
    }
}

/// The PDF's Document Security Store (ETSI EN 319 142-1 §5.4.2), read once per file.
struct Dss {
    certificates: Vec<x509_cert::Certificate>,
    crls: Vec<x509_cert::crl::CertificateList>,
    ocsps: Vec<Vec<u8>>,
}

fn is_doc_timestamp(sig: &lopdf::Dictionary) -> bool {
    pdf::sig_type(sig).as_deref() == Some("DocTimeStamp")
        || pdf::sub_filter(sig).as_deref() == Some("ETSI.RFC3161")
}

fn signature(
    bytes: &[u8],
    doc: &Document,
    found: &FoundSignature,
    dss: &Dss,
    options: &VerifyOptions,
    proofs: &[ExistenceProof],
) -> SignatureReport {
    let sig = &found.dictionary;
    let kind = pdf::sig_type(sig).unwrap_or_else(|| "Sig".into());
    let sub_filter = pdf::sub_filter(sig);
    let mut out = SignatureReport {
        field: found.field.clone(),
        kind: kind.clone(),
        sub_filter: sub_filter.clone(),
        verdict: Verdict::Indeterminate,
        intact: false,
        valid: false,
        trusted: false,
        signer: None,
        chain: Vec::new(),
        signing_time: None,
        time_source: TimeSource::Now,
        digest: None,
        revocation: Revocation::NotChecked,
        whole_document: false,
        byte_range: Vec::new(),
        certification: None,
        modification: ModificationLevel::None,
        changes: Vec::new(),
        timestamp: None,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let integrity = pdf::check_integrity(sig, doc, bytes);
    out.byte_range = integrity.byte_range.clone();
    out.errors.extend(integrity.problems.iter().cloned());
    let Some(end) = integrity.revision_end else {
        return out;
    };
    out.whole_document = end == bytes.len();
    let (Some(b), Some(c)) = (
        integrity
            .byte_range
            .get(1)
            .and_then(|v| usize::try_from(*v).ok()),
        integrity
            .byte_range
            .get(2)
            .and_then(|v| usize::try_from(*v).ok()),
    ) else {
        return out;
    };
    let (Some(first), Some(second)) = (bytes.get(..b), bytes.get(c..end)) else {
        out.errors.push("/ByteRange lies outside the file".into());
        return out;
    };
    let parts: [&[u8]; 2] = [first, second];
    let der = strip_padding(&integrity.contents);
    let claimed = pdf::sig_text(sig, b"M").and_then(|m| super::parse_pdf_date(&m));

    if kind == "DocTimeStamp" || sub_filter.as_deref() == Some("ETSI.RFC3161") {
        // The DSS's revocation data serves the TSA's certificates too.
        let store = options.trust.with_revocation_data(&dss.crls, &dss.ocsps);
        let check = tsp::check_token(der, &parts, &store);
        out.intact = check.valid;
        out.valid = check.valid;
        out.trusted = check.trusted;
        out.signer = check.tsa.clone();
        out.signing_time = check.time.map(rfc3339);
        out.time_source = TimeSource::Timestamp;
        out.revocation = check.revocation.clone();
        out.errors.extend(check.problems.iter().cloned());
        out.warnings.extend(check.revocation_notes.iter().cloned());
        revocation_remarks(&mut out);
        out.timestamp = Some(TimestampReport {
            time: check.time.map(rfc3339),
            valid: check.valid,
            trusted: check.trusted,
            tsa: check.tsa,
        });
        return out;
    }

    let legacy_sha1 = sub_filter.as_deref() == Some("adbe.pkcs7.sha1");
    match sub_filter.as_deref() {
        Some("ETSI.CAdES.detached") | Some("adbe.pkcs7.detached") => {}
        Some("adbe.pkcs7.sha1") => out
            .warnings
            .push("legacy format adbe.pkcs7.sha1 (SHA-1 over the document)".into()),
        other => {
            out.errors.push(format!(
                "unsupported /SubFilter {}",
                other.unwrap_or("(none)")
            ));
            return out;
        }
    }
    let check = if legacy_sha1 {
        cms::check(der, None, &dss.certificates)
    } else {
        cms::check(der, Some(&parts), &dss.certificates)
    };
    let check = match check {
        Ok(check) => check,
        Err(e) => {
            out.errors.push(e.to_string());
            return out;
        }
    };
    let mut intact = check.digest_matches;
    if legacy_sha1 {
        let sha1 = Digest::Sha1.digest_parts(&parts);
        if check.econtent.as_deref() != Some(sha1.as_slice()) {
            intact = false;
            out.errors
                .push("the SHA-1 of the document does not match the signed content".into());
        }
    }
    out.intact = intact;
    out.valid = intact && check.is_valid();
    out.digest = check.digest.map(|d| d.name().to_owned());
    out.errors.extend(check.problems.iter().cloned());
    if check.digest.is_some_and(Digest::is_weak)
        || check.signature_digest.is_some_and(Digest::is_weak)
        || legacy_sha1
    {
        out.errors
            .push("SHA-1 is too weak to rely on (weak algorithm)".into());
    }
    if sub_filter.as_deref() == Some("ETSI.CAdES.detached") && check.ess == cms::EssStatus::Absent {
        out.warnings
            .push("PAdES signature without the ESS signing-certificate attribute".into());
    }
    // Signing time: a verified time-stamp, else the claim.
    let mut time = None;
    if let Some(token) = &check.timestamp_token {
        let stamp = tsp::check_token(
            token,
            &[&check.signature_value],
            &options.trust.with_revocation_data(&dss.crls, &dss.ocsps),
        );
        if stamp.valid && stamp.trusted {
            time = stamp.time.map(|t| (t, TimeSource::Timestamp));
        } else {
            out.warnings.extend(stamp.problems.iter().cloned());
            out.warnings
                .push("the signature time-stamp is not valid or not trusted".into());
        }
        out.timestamp = Some(TimestampReport {
            time: stamp.time.map(rfc3339),
            valid: stamp.valid,
            trusted: stamp.trusted,
            tsa: stamp.tsa,
        });
    }
    let claim = claimed.or(check.signing_time);
    // Without a signature time-stamp, a later document time-stamp bounds the signing time.
    let existence = ExistenceProof::earliest_covering(proofs, end);
    if time.is_none()
        && let Some(before) = existence
    {
        time = Some((before, TimeSource::DocumentTimestamp));
        if let Some(claim) = claim
            && claim > before
        {
            out.warnings.push(format!(
                "the claimed signing time {} is after the document time-stamp {} that covers the signature",
                rfc3339(claim),
                rfc3339(before)
            ));
        }
    }
    let time = time
        .or_else(|| claim.map(|t| (t, TimeSource::Claimed)))
        .unwrap_or((SystemTime::now(), TimeSource::Now));
    out.signing_time = Some(rfc3339(time.0));
    out.time_source = time.1;
    if !matches!(
        time.1,
        TimeSource::Timestamp | TimeSource::DocumentTimestamp
    ) {
        out.warnings
            .push("the signing time is claimed by the signer, not time-stamped".into());
    }
    let Some(signer) = &check.signer else {
        return out;
    };
    out.signer = Some(super::trust::subject_name(signer));
    let mut pool = check.certificates.clone();
    pool.extend_from_slice(&dss.certificates);
    let mut crls = check.crls.clone();
    crls.extend_from_slice(&dss.crls);
    let mut ocsps = check.ocsps.clone();
    ocsps.extend_from_slice(&dss.ocsps);
    let store;
    let trust_store = if crls.is_empty() && ocsps.is_empty() {
        &options.trust
    } else {
        store = options.trust.with_revocation_data(&crls, &ocsps);
        &store
    };
    let proven = matches!(
        time.1,
        TimeSource::Timestamp | TimeSource::DocumentTimestamp
    );
    let trust = trust_store.validate_at(signer, &pool, time.0, proven, Usage::Signing);
    out.trusted = trust.trusted;
    out.chain = trust.chain;
    out.errors.extend(trust.certificate_problems);
    out.revocation = trust.revocation;
    out.warnings.extend(trust.revocation_notes);
    revocation_remarks(&mut out);
    out
}

/// The error or warning a revocation status adds (docs/verify-json.md, "Verdict rules").
fn revocation_remarks(out: &mut SignatureReport) {
    match &out.revocation {
        Revocation::Revoked { subject, date } => {
            out.errors
                .push(format!("certificate “{subject}” was revoked on {date}"));
        }
        Revocation::NotChecked => out.warnings.push(REVOCATION_NOT_CHECKED.into()),
        Revocation::NoSource => out.warnings.push(NO_REVOCATION_SOURCE.into()),
        Revocation::Good => {}
    }
}

/// The warning of [`Revocation::NotChecked`] (the verdict is INDETERMINATE).
pub const REVOCATION_NOT_CHECKED: &str = "revocation not checked";
/// The warning of [`Revocation::NoSource`].
pub const NO_REVOCATION_SOURCE: &str =
    "revocation not checked: the certificate names no CRL or OCSP source and no CRL was given";

fn modifications(
    bytes: &[u8],
    doc: &Document,
    sig: &FoundSignature,
    one: &mut SignatureReport,
    certification: Option<(Option<lopdf::ObjectId>, i64)>,
    revisions: &mut Vec<(usize, Option<Document>)>,
) {
    let end = match one.byte_range.as_slice() {
        [_, _, c, d] => match (usize::try_from(*c), usize::try_from(*d)) {
            (Ok(c), Ok(d)) => c.checked_add(d),
            _ => None,
        },
        _ => None,
    };
    let Some(end) = end.filter(|e| *e < bytes.len()) else {
        return;
    };
    if bytes
        .get(end..)
        .is_some_and(|rest| rest.iter().all(|b| b.is_ascii_whitespace() || *b == 0))
    {
        return;
    }
    if !revisions.iter().any(|(e, _)| *e == end) {
        let loaded = bytes
            .get(..end)
            .and_then(|prefix| Document::load_mem(prefix).ok());
        revisions.push((end, loaded));
    }
    let Some(old) = revisions
        .iter()
        .find(|(e, _)| *e == end)
        .and_then(|(_, d)| d.as_ref())
    else {
        one.errors
            .push("the signed revision cannot be read on its own".into());
        one.modification = ModificationLevel::Disallowed;
        return;
    };
    let found = diff::analyse(old, doc);
    one.modification = found.level;
    one.changes = found.changes;
    // FieldMDP: fields this signature locked (its /Reference, or its field's /Lock) may not be
    // filled in afterwards.
    let locks = fieldmdp::locks(old, &sig.dictionary);
    let field_lock = sig
        .field
        .as_deref()
        .and_then(|field| fieldmdp::field_lock(old, field));
    if !locks.is_empty() || field_lock.is_some() {
        for id in &found.filled_fields {
            let Some(name) = fieldmdp::field_name(old, *id) else {
                continue;
            };
            let by = if locks.iter().any(|lock| lock.locks(&name)) {
                "this signature (FieldMDP)"
            } else if field_lock.as_ref().is_some_and(|lock| lock.locks(&name)) {
                "the /Lock of this signature's field"
            } else {
                continue;
            };
            one.modification = ModificationLevel::Disallowed;
            one.errors.push(format!(
                "field “{name}” is locked by {by} and was changed after signing"
            ));
        }
    }
    if doc.xref_start < end {
        // Bytes after the signed revision that no cross-reference section indexes: objects
        // appended without an xref (an incremental saving attack variant that repairing
        // viewers display). A proper incremental update ends with its own xref section.
        one.modification = ModificationLevel::Disallowed;
        one.changes.push(format!(
            "{} bytes appended after the signed revision are not a proper incremental update",
            bytes.len() - end
        ));
    }
    // DocMDP applies when the certification signature is in the signed revision.
    let p = one.certification.or_else(|| {
        certification.and_then(|(id, p)| id.filter(|id| old.objects.contains_key(id)).map(|_| p))
    });
    if !diff::allowed(one.modification, p) {
        one.errors.push(match p {
            Some(p) => format!("changes after signing are not allowed by DocMDP P={p}"),
            None => "the document was changed after signing in a way that is not allowed".into(),
        });
    }
}

fn signature_verdict(one: &SignatureReport) -> Verdict {
    if !one.intact || !one.valid || !one.errors.is_empty() {
        Verdict::Invalid
    } else if !one.trusted || one.revocation == Revocation::NotChecked {
        Verdict::Indeterminate
    } else if one.warnings.is_empty() {
        Verdict::Valid
    } else {
        Verdict::ValidWithWarnings
    }
}
