#!/usr/bin/env bash
# Installs what MotCua Desk needs to build, run and test on Debian 12 / Ubuntu 22.04+, skipping what is there.
# System packages through apt-get (with sudo when not root); tauri-driver through cargo; the UI's npm
# packages are installed by the Makefile (`npm ci`). Safe to run again: it only installs what is missing.
set -euo pipefail

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then sudo=""; else
  command -v sudo >/dev/null || die "not root and no sudo: install the packages listed in scripts/install-deps.sh by hand"
  sudo="sudo"
fi

# Build: WebKitGTK for the Tauri shell. Tests: Xvfb + WebKitWebDriver for end-to-end runs, poppler/qpdf to
# check PDFs, NSS tools for pdfsig's trust store, SoftHSM2 as a PKCS#11 token, SANE's test backend as a scanner,
# ImageMagick and Python for fixtures and reference measurements, zbar to read the receipts' barcodes back,
# xdotool for the app start-up bench to sign in through the keyboard (scripts/bench-app.sh).
packages=(
  build-essential pkg-config curl ca-certificates
  libwebkit2gtk-4.1-dev
  xvfb xauth webkit2gtk-driver xdotool
  poppler-utils qpdf libnss3-tools softhsm2 opensc sane-utils libsane1 imagemagick zbar-tools
  python3 python3-venv python3-pip
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v node >/dev/null && command -v npm >/dev/null || {
  say "installing nodejs and npm"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
}
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $node_major is too old: the UI's build tools need Node.js 20 or newer"

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "Rust (cargo) not found: install it with rustup (https://rustup.rs), the project needs Rust 1.89+"
command -v tauri-driver >/dev/null || {
  say "installing tauri-driver (cargo install, about 2 minutes)"
  cargo install tauri-driver --locked --quiet
}

# Python tools used as independent validators and reference implementations in tests and benchmarks.
venv=".tools/venv"
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  python3 -m venv "$venv"
fi
# pyhanko-cli (the `pyhanko sign addsig` command) and img2pdf are the references of `make bench`.
for req in pyhanko pyhanko-certvalidator pyhanko-cli img2pdf; do
  "$venv/bin/python" -c "import importlib.metadata as m; m.version('$req')" 2>/dev/null || {
    say "installing $req into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$req"
  }
done
say "ok"
