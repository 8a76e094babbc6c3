"""Signs a PDF with pyHanko (PAdES B-B, invisible field "PyHanko"), for interoperability tests.

Usage: python3 pyhanko_sign.py IN.pdf OUT.pdf KEY.pem CERT.pem CHAIN.pem
"""
import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers


def main() -> int:
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    source, target, key, cert, chain = sys.argv[1:]
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
    meta = signers.PdfSignatureMetadata(field_name="PyHanko", subfilter=fields.SigSeedSubFilter.PADES)
    with open(source, "rb") as inf, open(target, "wb") as outf:
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=outf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
