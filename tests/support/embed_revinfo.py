"""Revocation data and time-stamps embedded in signed PDFs with pyHanko, for the verifier's tests.

Usage (python from .tools/venv, which has pyHanko and its dependency `cryptography`):
  embed_revinfo.py dss IN.pdf OUT.pdf [--ocsp RESP.der]... [--crl CRL.pem]... [--cert CERT.pem]...
      Adds a DSS (ETSI EN 319 142-1 §5.4.2) to a copy of IN as an incremental update: /OCSPs,
      /CRLs, /Certs and a /VRI entry for the last signature of IN (pyHanko's DocumentSecurityStore).
  embed_revinfo.py sign-pkcs7 IN.pdf OUT.pdf KEY.pem CERT.pem CHAIN.pem ROOT.pem [--ocsp R.der]... [--crl C.pem]...
      Signs IN with adbe.pkcs7.detached, embedding the given OCSP responses and CRLs in the signed
      attribute adbe-revocationInfoArchival (ISO 32000-1 §12.8.3.3.2). pyHanko validates the signer
      with exactly that data first (trust: ROOT, no fetching), so the OCSP answer must be usable.
  embed_revinfo.py sign-rfc5940 IN.pdf OUT.pdf KEY.pem CERT.pem CHAIN.pem --ocsp R.der...
      Signs IN with PAdES B-B and puts the OCSP responses in the SignedData's own `crls` field as
      RevocationInfoChoice `other` with format id-ri-ocsp-response (RFC 5940 §2.1), as some CAdES
      signers carry them (the field is outside the signed attributes).
  embed_revinfo.py sign IN.pdf OUT.pdf KEY.pem CERT.pem CHAIN.pem [--at YYYY-MM-DDTHH:MM:SSZ]
      Signs IN with PAdES B-B (no time-stamp), whatever the certificate's validity today; --at sets
      the claimed signing time (/M and the signing-time attribute) through pyHanko's signing
      session (PdfSigner.init_signing_session).
  embed_revinfo.py doc-timestamp IN.pdf OUT.pdf TSA_KEY.pem TSA_CERT.pem INTER.pem YYYY-MM-DDTHH:MM:SSZ
      Adds a document time-stamp (ETSI.RFC3161) whose genTime is the given time, made by pyHanko's
      in-process TSA with the test TSA key (a past time lets a test prove existence at that time).
  embed_revinfo.py field-lock IN.pdf OUT.pdf KEY.pem CERT.pem CHAIN.pem LOCKED FILL
      Adds text fields "HoTen" and "GhiChu", signs a new field "Sig1" whose /Lock (ISO 32000-2
      §12.7.5.5) includes the field LOCKED, then fills the field FILL in a later revision. pyHanko
      normally copies the /Lock into the signature's /Reference (FieldMDP); here that copy is
      suppressed (its SigMDPSetup gets no field_lock), as some signers do, so the field's /Lock is
      the only statement of the lock.
  embed_revinfo.py ocsp CERT.pem ISSUER.pem RESPONDER_CERT.pem RESPONDER_KEY.pem good|revoked THIS NEXT OUT.der
      An OCSP response (RFC 6960) with explicit thisUpdate/nextUpdate (YYYY-MM-DDTHH:MM:SSZ), made
      with `cryptography`'s OCSPResponseBuilder: `openssl ocsp` cannot date a response in the past,
      which a stale-answer test needs.
"""
import datetime
import io
import shutil
import sys


def flag_values(args, name):
    values, rest, i = [], [], 0
    while i < len(args):
        if args[i] == name and i + 1 < len(args):
            values.append(args[i + 1])
            i += 2
        else:
            rest.append(args[i])
            i += 1
    return values, rest


def load_ocsps(paths):
    from asn1crypto import ocsp
    return [ocsp.OCSPResponse.load(open(p, "rb").read()) for p in paths]


def load_crls(paths):
    from asn1crypto import crl, pem
    out = []
    for p in paths:
        data = open(p, "rb").read()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        out.append(crl.CertificateList.load(data))
    return out


def when(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def dss(args):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    ocsps, args = flag_values(args, "--ocsp")
    crls, args = flag_values(args, "--crl")
    certs, args = flag_values(args, "--cert")
    source, target = args
    shutil.copyfile(source, target)
    with open(target, "rb") as f:
        contents = PdfFileReader(f).embedded_signatures[-1].sig_object["/Contents"]
    with open(target, "rb+") as out:
        DocumentSecurityStore.add_dss(
            out, contents, certs=[load_cert_from_pemder(c) for c in certs],
            ocsps=load_ocsps(ocsps), crls=load_crls(crls), force_write=True)


def sign(args, pkcs7):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator import ValidationContext
    ocsps, args = flag_values(args, "--ocsp")
    crls, args = flag_values(args, "--crl")
    at, args = flag_values(args, "--at")
    if pkcs7:
        source, target, key, cert, chain, root = args
    else:
        source, target, key, cert, chain = args
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
    if pkcs7:
        context = ValidationContext(trust_roots=[load_cert_from_pemder(root)], allow_fetching=False,
                                    ocsps=load_ocsps(ocsps), crls=load_crls(crls))
        meta = signers.PdfSignatureMetadata(
            field_name="Signature1", subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
            embed_validation_info=True, validation_context=context)
    else:
        meta = signers.PdfSignatureMetadata(field_name="Signature1",
                                            subfilter=fields.SigSeedSubFilter.PADES)
    class ClaimingSigner(signers.PdfSigner):
        def init_signing_session(self, pdf_out, *a, **kw):
            session = super().init_signing_session(pdf_out, *a, **kw)
            if at:
                session.system_time = when(at[0])
            return session

    with open(source, "rb") as inf:
        buf = io.BytesIO()
        ClaimingSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(inf), output=buf)
    with open(target, "wb") as out:
        out.write(buf.getvalue())


def sign_rfc5940(args):
    from asn1crypto import cms
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    ocsps, args = flag_values(args, "--ocsp")
    source, target, key, cert, chain = args
    responses = load_ocsps(ocsps)

    # pyHanko builds the final SignedData in _package_signature (used for the size estimate too).
    class Rfc5940Signer(signers.SimpleSigner):
        def _package_signature(self, **kw):
            info = super()._package_signature(**kw)
            info["content"]["crls"] = cms.RevocationInfoChoices([
                cms.RevocationInfoChoice(name="other", value=cms.OtherRevocationInfoFormat({
                    "other_rev_info_format": "ocsp_response", "other_rev_info": response}))
                for response in responses])
            return info

    # SimpleSigner.load builds a plain SimpleSigner: take its parts into the subclass.
    loaded = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
    signer = Rfc5940Signer(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                           cert_registry=loaded.cert_registry)
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    with open(source, "rb") as inf:
        buf = io.BytesIO()
        signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(inf), output=buf)
    with open(target, "wb") as out:
        out.write(buf.getvalue())


def doc_timestamp(args):
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    source, target, tsa_key, tsa_cert, inter, at = args
    stamper = timestamps.DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(tsa_cert),
        tsa_key=load_private_key_from_pemder(tsa_key, passphrase=None),
        certs_to_embed=SimpleCertificateStore.from_certs([load_cert_from_pemder(inter)]),
        fixed_dt=when(at))
    with open(source, "rb") as inf:
        buf = io.BytesIO()
        signers.PdfTimeStamper(stamper).timestamp_pdf(IncrementalPdfFileWriter(inf), "sha256", output=buf)
    with open(target, "wb") as out:
        out.write(buf.getvalue())


def field_lock(args):
    import dataclasses
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers import pdf_signer
    source, target, key, cert, chain, locked, fill = args
    w = IncrementalPdfFileWriter(open(source, "rb"))
    page_ref = w.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    refs = []
    for i, name in enumerate(("HoTen", "GhiChu")):
        refs.append(w.add_object(generic.DictionaryObject({
            generic.NameObject("/FT"): generic.NameObject("/Tx"),
            generic.NameObject("/T"): generic.TextStringObject(name),
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(x) for x in (72, 600 - 40 * i, 300, 620 - 40 * i)]),
            generic.NameObject("/P"): page_ref,
        })))
    page["/Annots"] = generic.ArrayObject(refs)
    w.update_container(page)
    w.root["/AcroForm"] = generic.DictionaryObject({generic.NameObject("/Fields"): generic.ArrayObject(refs)})
    w.update_root()
    with_fields = io.BytesIO()
    w.write(with_fields)

    original = pdf_signer.PdfSigningSession._apply_locking_rules
    pdf_signer.PdfSigningSession._apply_locking_rules = (
        lambda self: dataclasses.replace(original(self), field_lock=None))
    spec = fields.SigFieldSpec(sig_field_name="Sig1", field_mdp_spec=fields.FieldMDPSpec(
        fields.FieldMDPAction.INCLUDE, fields=[locked]))
    meta = signers.PdfSignatureMetadata(field_name="Sig1", subfilter=fields.SigSeedSubFilter.PADES)
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
    signed = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(with_fields.getvalue())), meta, signer=signer,
                     output=signed, new_field_spec=spec)

    w = IncrementalPdfFileWriter(io.BytesIO(signed.getvalue()))
    for ref in w.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == fill:
            field["/V"] = generic.TextStringObject("Nguyễn Thị Bình")
            w.update_container(field)
    with open(target, "wb") as out:
        w.write(out)


def ocsp_response(args):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp
    cert, issuer, responder, key, status, this, nxt, target = args
    load = lambda p: x509.load_pem_x509_certificate(open(p, "rb").read())
    cert, issuer, responder = load(cert), load(issuer), load(responder)
    key = serialization.load_pem_private_key(open(key, "rb").read(), password=None)
    revoked = status == "revoked"
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=cert, issuer=issuer, algorithm=hashes.SHA1(),
        cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
        this_update=when(this), next_update=when(nxt),
        revocation_time=when(this) if revoked else None, revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.NAME, responder)
    if responder != issuer:
        builder = builder.certificates([responder])
    response = builder.sign(key, hashes.SHA256())
    with open(target, "wb") as out:
        out.write(response.public_bytes(serialization.Encoding.DER))


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "dss":
        dss(args)
    elif mode == "sign-pkcs7":
        sign(args, pkcs7=True)
    elif mode == "sign":
        sign(args, pkcs7=False)
    elif mode == "sign-rfc5940":
        sign_rfc5940(args)
    elif mode == "doc-timestamp":
        doc_timestamp(args)
    elif mode == "field-lock":
        field_lock(args)
    elif mode == "ocsp":
        ocsp_response(args)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
