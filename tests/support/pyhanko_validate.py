"""Validates every signature of a PDF with pyHanko and prints one JSON line per signature.

Usage: python3 pyhanko_validate.py FILE.pdf ROOT.pem
Trust: only ROOT.pem; no network fetching (the test PKI has no CRL/OCSP).
Exit status 0 when it could evaluate (the verdicts are in the JSON), 2 on usage errors.
"""
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, root = sys.argv[1], sys.argv[2]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(root)], allow_fetching=False)
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle)
        for embedded in reader.embedded_signatures:
            if embedded.sig_object_type == "/DocTimeStamp":
                status = validate_pdf_timestamp(embedded, validation_context=context)
            else:
                status = validate_pdf_signature(embedded, context)
            stamp = getattr(status, "timestamp_validity", None)
            print(json.dumps({
                "timestamp": None if stamp is None else {
                    "intact": bool(stamp.intact),
                    "valid": bool(stamp.valid),
                    "trusted": bool(stamp.trusted),
                    "time": stamp.timestamp.isoformat(),
                },
                "field": embedded.field_name,
                "intact": bool(status.intact),
                "valid": bool(status.valid),
                "trusted": bool(status.trusted),
                "coverage": status.coverage.name,
                "modification_level": status.modification_level.name if getattr(status, "modification_level", None) else None,
                "md_algorithm": status.md_algorithm,
                "docmdp_ok": getattr(status, "docmdp_ok", None),
                "certification": embedded.docmdp_level.name if embedded.docmdp_level else None,
                "signing_cert_cn": status.signing_cert.subject.native.get("common_name"),
            }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
