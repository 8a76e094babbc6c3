#!/usr/bin/env bash
# Seeds the fuzz corpora from the verifier's fixtures: whole PDFs for verify_pdf, and the DER CMS
# of each signature (/Contents, padding kept) for verify_cms. Run from the repository root.
set -euo pipefail
mkdir -p fuzz/corpus/verify_pdf fuzz/corpus/verify_cms
cp tests/fixtures/signed/*.pdf fuzz/corpus/verify_pdf/
python3 - <<'PY'
import glob, os, re
for path in glob.glob("tests/fixtures/signed/*.pdf"):
    data = open(path, "rb").read()
    for i, m in enumerate(re.finditer(rb"/Contents\s*<([0-9A-Fa-f]+)>", data)):
        der = bytes.fromhex(m.group(1).decode()).rstrip(b"\0")
        name = os.path.basename(path)[:-4] + f"-{i}.der"
        open(os.path.join("fuzz/corpus/verify_cms", name), "wb").write(der)
PY
