#!/usr/bin/env bash
# Starts MotCua Desk on a demo data folder (.demo-data/ in the repo, git-ignored). Builds the UI and the app
# if needed (debug, bundled UI). The first time, the folder is created, the sample catalogue imported and
# three demo dossiers received with the `motcua` CLI; later runs reuse it as it is (delete .demo-data/ to
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
  while IFS='|' read -r procedure name citizen_id; do
    MOTCUA_DATA_DIR="$staging" "$cli" dossier new --procedure "$procedure" --applicant-name "$name" \
      --citizen-id "$citizen_id" >/dev/null
  done <<'DEMO'
1.001193|Nguyễn Thị Hồng Nhung|001190012345
1.000894|Trần Văn Bình|079085004321
2.000815|Lê Thị Thu Hà|048302001122
DEMO
  mv "$staging" "$demo"
fi

exec "$target_dir/debug/motcua-desk"
