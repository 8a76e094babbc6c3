#!/usr/bin/env bash
# Regenerates the test PKI under tests/fixtures/pki/ with openssl only.
#
# Root CA -> intermediate CA -> end-entity signers whose subject names are Vietnamese
# UTF8String values (string_mask = utf8only). Key material is random on every run, but the
# file names, subjects, serial numbers and validity windows are fixed, so the tests that
# read these files never change. See tests/fixtures/pki/README.md for what each file is.
#
# Usage: tests/pki/make-pki.sh [OUT_DIR]   (default: tests/fixtures/pki next to this script)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/../fixtures/pki}"
PASS="matkhau-thu-nghiem"   # test-only password of every .p12 file (documented in README.md)
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# A minimal `openssl ca` setup: it is the only openssl 3.0 command that accepts explicit
# start and end dates, which the expired and not-yet-valid signers need.
ca_config() { # $1 = CA name (root|inter)
  local dir="$WORK/$1"
  mkdir -p "$dir/newcerts"
  : > "$dir/index.txt"
  cat > "$dir/ca.cnf" <<CNF
[ ca ]
default_ca = this_ca
[ this_ca ]
dir = $dir
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
utf8 = yes
string_mask = utf8only
[ policy_any ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
prompt = no
[ dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_signer ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection, 1.3.6.1.4.1.311.10.3.12
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_tsa ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_wrong_ku ]
basicConstraints = critical, CA:false
keyUsage = critical, keyEncipherment, dataEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
}

new_key() { # $1 = file, $2 = rsa2048|rsa3072|p256|p384
  case "$2" in
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    rsa3072) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$1" 2>/dev/null ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1" 2>/dev/null ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out "$1" 2>/dev/null ;;
  esac
}

# issue CA_NAME SUBJECT KEY_FILE OUT_CERT EXTENSION SERIAL_HEX START END [SELF]
issue() {
  local ca="$1" subj="$2" key="$3" cert="$4" ext="$5" serial="$6" start="$7" end="$8" self="${9:-}"
  local dir="$WORK/$ca"
  echo "$serial" > "$dir/serial"
  openssl req -new -utf8 -config "$dir/ca.cnf" -key "$key" -subj "$subj" -out "$WORK/req.csr"
  if [ -n "$self" ]; then
    openssl ca -batch -utf8 -config "$dir/ca.cnf" -selfsign -keyfile "$key" -extensions "$ext" \
      -startdate "$start" -enddate "$end" -in "$WORK/req.csr" -out "$WORK/out.pem" 2>/dev/null
  else
    openssl ca -batch -utf8 -config "$dir/ca.cnf" -cert "$OUT/$ca.cert.pem" -keyfile "$OUT/$ca.key.pem" \
      -extensions "$ext" -startdate "$start" -enddate "$end" -in "$WORK/req.csr" -out "$WORK/out.pem" 2>/dev/null
  fi
  openssl x509 -in "$WORK/out.pem" -out "$cert"   # strip the text dump `openssl ca` prepends
}

ca_config root
ca_config inter

# Root CA (self-signed, RSA-3072) and intermediate CA (RSA-2048).
new_key "$OUT/root.key.pem" rsa3072
issue root "/C=VN/O=MotCua Desk Thử Nghiệm/CN=MotCua Test Root CA" "$OUT/root.key.pem" "$OUT/root.cert.pem" \
  v3_root 1000 20240101000000Z 20440101000000Z self
new_key "$OUT/inter.key.pem" rsa2048
issue root "/C=VN/O=MotCua Desk Thử Nghiệm/CN=MotCua Test Intermediate CA" "$OUT/inter.key.pem" "$OUT/inter.cert.pem" \
  v3_inter 2000 20240101000000Z 20400101000000Z

# signer NAME KEYTYPE SUBJECT EXTENSION SERIAL START END
signer() {
  local name="$1" kt="$2" subj="$3" ext="$4" serial="$5" start="$6" end="$7"
  new_key "$OUT/$name.key.pem" "$kt"
  issue inter "$subj" "$OUT/$name.key.pem" "$OUT/$name.cert.pem" "$ext" "$serial" "$start" "$end"
  cat "$OUT/$name.cert.pem" "$OUT/inter.cert.pem" > "$OUT/$name.chain.pem"
  openssl pkcs12 -export -inkey "$OUT/$name.key.pem" -in "$OUT/$name.cert.pem" -certfile "$OUT/inter.cert.pem" \
    -name "$name" -passout "pass:$PASS" \
    -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -out "$OUT/$name.p12"
  openssl pkcs12 -export -legacy -inkey "$OUT/$name.key.pem" -in "$OUT/$name.cert.pem" -certfile "$OUT/inter.cert.pem" \
    -name "$name" -passout "pass:$PASS" -out "$OUT/$name.legacy.p12"
}

VALID_FROM=20250101000000Z
VALID_TO=20350101000000Z
signer signer-rsa2048 rsa2048 "/C=VN/ST=Tỉnh Long An/L=Xã Tân Phú/O=UBND xã Tân Phú/OU=Bộ phận Một cửa/CN=Nguyễn Văn An" \
  v3_signer 3001 $VALID_FROM $VALID_TO
signer signer-rsa3072 rsa3072 "/C=VN/O=UBND huyện Đức Hòa/OU=Văn phòng HĐND và UBND/CN=Trần Thị Bích Ngọc" \
  v3_signer 3002 $VALID_FROM $VALID_TO
signer signer-p256 p256 "/C=VN/O=UBND phường Bến Nghé/CN=Lê Hoàng Đức" v3_signer 3003 $VALID_FROM $VALID_TO
signer signer-p384 p384 "/C=VN/O=Sở Tư pháp tỉnh Đồng Tháp/CN=Phạm Thị Hương" v3_signer 3004 $VALID_FROM $VALID_TO
signer signer-expired rsa2048 "/C=VN/O=UBND xã Tân Phú/CN=Võ Văn Hết Hạn" v3_signer 3005 20200101000000Z 20210101000000Z
signer signer-notyet rsa2048 "/C=VN/O=UBND xã Tân Phú/CN=Đặng Thị Chưa Tới" v3_signer 3006 20380101000000Z 20390101000000Z
signer signer-wrong-ku rsa2048 "/C=VN/O=UBND xã Tân Phú/CN=Bùi Văn Sai Mục Đích" v3_wrong_ku 3007 $VALID_FROM $VALID_TO

# Time-stamping authority for the local test TSA (RFC 3161; extendedKeyUsage timeStamping, critical).
new_key "$OUT/tsa.key.pem" rsa2048
issue inter "/C=VN/O=MotCua Desk Thử Nghiệm/CN=MotCua Test TSA" "$OUT/tsa.key.pem" "$OUT/tsa.cert.pem" \
  v3_tsa 4001 $VALID_FROM $VALID_TO
cat "$OUT/tsa.cert.pem" "$OUT/inter.cert.pem" > "$OUT/tsa.chain.pem"

# Normalise every private key to unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY").
for k in "$OUT"/*.key.pem; do openssl pkey -in "$k" -out "$k.tmp" && mv "$k.tmp" "$k"; done
echo "test PKI written to $OUT"
