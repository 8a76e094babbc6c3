#!/usr/bin/env bash
# Starts MotCua Desk on a demo data folder (.demo-data/ in the repo, git-ignored). Builds the UI and the app
# if needed (debug, bundled UI). The first time, the folder is created, the sample catalogue imported and
# three demo dossiers received (the first with two scanned pages, the SANE test scanner and a scan folder
# set) and two demo accounts made with the `motcua` CLI; later runs reuse it as it is (delete .demo-data/ to
# start over). Needs a display: run it in a desktop session, or headless as `xvfb-run make run`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
catalog="$repo/data/catalog/sample.json"
demo="$repo/.demo-data"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "Không có màn hình (DISPLAY): hãy chạy trong phiên làm việc có giao diện, hoặc dùng \`xvfb-run make run\`." >&2
  echo "No display: run under a desktop session or \`xvfb-run make run\`." >&2
  exit 1
fi
[ -d ui/node_modules ] || { echo "ui/node_modules missing: run 'npm ci' in ui/ first" >&2; exit 1; }

(cd ui && npm run build --silent)
cargo build --quiet -p motcua --bin motcua
cargo build --quiet -p motcua-portal --bin motcua-portal
cargo build --quiet -p motcua-desk --features custom-protocol
cli="$target_dir/debug/motcua"
export MOTCUA_DATA_DIR="$demo"

if [ ! -d "$demo" ]; then
  # Built in a side folder and renamed at the end, so an interrupted first run is simply redone.
  echo "Tạo dữ liệu mẫu / creating demo data in $demo"
  staging="$demo.tmp-$$"
  rm -rf "$staging"
  mkdir -p "$staging"
  MOTCUA_DATA_DIR="$staging" "$cli" catalog import "$catalog" >/dev/null
  codes=()
  while IFS='|' read -r procedure name citizen_id; do
    codes+=("$(MOTCUA_DATA_DIR="$staging" "$cli" dossier new --procedure "$procedure" --applicant-name "$name" \
      --citizen-id "$citizen_id")")
  done <<'DEMO'
1.001193|Nguyễn Thị Hồng Nhung|001190012345
1.000894|Trần Văn Bình|079085004321
2.000815|Lê Thị Thu Hà|048302001122
DEMO
  # The first dossier already has two scanned pages in TP1 ("Tiếp tục xử lý" in its detail opens them);
  # SANE's test scanner is the office's scanner and .demo-data/may-quet/ its scan folder, so Ctrl+S and
  # "Nhận từ thư mục quét" work in training without a real scanner.
  MOTCUA_DATA_DIR="$staging" "$cli" dossier add-pages "${codes[0]}" TP1 \
    "$repo/tests/fixtures/scans/text-skew0-150.jpg" "$repo/tests/fixtures/scans/colour-stamp-150.jpg" >/dev/null
  # (made in the side folder; the setting names where it will be once renamed)
  mkdir -p "$staging/may-quet"
  MOTCUA_DATA_DIR="$staging" "$cli" config set capture.scanner test
  MOTCUA_DATA_DIR="$staging" "$cli" config set capture.hot-folder "$demo/may-quet"
  # Demo accounts (the login screen needs one): a supervisor and a clerk with demo passwords.
  MOTCUA_DATA_DIR="$staging" DEMO_PASSWORD=truongphong-demo "$cli" user add --role supervisor \
    --name "Nguyễn Thị Lan" --password-env DEMO_PASSWORD truongphong >/dev/null
  MOTCUA_DATA_DIR="$staging" DEMO_PASSWORD=canbo-demo "$cli" user add --role clerk \
    --name "Trần Văn Bình" --password-env DEMO_PASSWORD canbo >/dev/null
  mv "$staging" "$demo"
fi
echo "Tài khoản mẫu / demo accounts: truongphong / truongphong-demo (người phụ trách), canbo / canbo-demo (cán bộ)"

# The sandbox portal (motcua-portal) on 127.0.0.1:8787, so "Nộp" has somewhere to go. Its office token is
# made the first time and kept in .demo-data/portal-token (demo only: a real office keeps its token in the
# environment variable named by portal.token-env, never in a file of the app). Killed when the app exits.
portal_bin="$target_dir/debug/motcua-portal"
portal_db="$demo/portal"
token_file="$demo/portal-token"
portal_url="http://127.0.0.1:8787"
if [ ! -s "$token_file" ]; then
  agency="$("$cli" config get agency.code 2>/dev/null || echo 000.00.06.H56)"
  (umask 077 && "$portal_bin" --db "$portal_db" token create --office "$agency" 2>/dev/null >"$token_file.tmp") \
    && mv "$token_file.tmp" "$token_file"
  "$cli" config set portal.url "$portal_url"
  "$cli" config set portal.token-env MOTCUA_PORTAL_TOKEN
fi
export MOTCUA_PORTAL_TOKEN="$(cat "$token_file")"
# The demo trusts the test PKI (tests/fixtures/pki) and, being a training sandbox, also accepts signers
# it does not know, so a clerk can practise with any test certificate.
"$portal_bin" --db "$portal_db" serve --bind 127.0.0.1:8787 --trust "$repo/tests/fixtures/pki/root.cert.pem" \
  --accept-untrusted >"$demo/portal.out" 2>"$demo/portal.log" &
portal_pid=$!
trap 'kill "$portal_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q "listening on" "$demo/portal.out" 2>/dev/null && break
  kill -0 "$portal_pid" 2>/dev/null || break
  sleep 0.1
done
if grep -q "listening on" "$demo/portal.out" 2>/dev/null; then
  echo "Cổng thử nghiệm / sandbox portal: $portal_url (log: $demo/portal.log)"
else
  echo "Không khởi động được cổng thử nghiệm (xem $demo/portal.log); ứng dụng vẫn chạy, hồ sơ chờ trong hàng đợi." >&2
fi

"$target_dir/debug/motcua-desk"
