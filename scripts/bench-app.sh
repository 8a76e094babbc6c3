#!/usr/bin/env bash
# App start-up and idle-memory benchmark (issue 9), part of `make bench`.
#
# Builds the desktop app (profile $BENCH_APP_PROFILE, default `bench` = release without LTO) and the CLI,
# makes a data folder with the sample catalogue and $BENCH_DOSSIERS dossiers (default 1,000), starts a
# virtual display, then $BENCH_RUNS times (default 5) starts the app with MOTCUA_STARTUP_PROBE=1 and times
# process start → the login gate interactive (the UI's "gate" report, src-tauri/src/commands/probe.rs),
# signs in as a clerk through the keyboard (xdotool types the login and password into the gate, then
# Enter), and times Enter → the dossier list rendered (the "list" report). Start-up is the sum of the two:
# what the clerk waits for, without the time spent typing. After the last start it waits
# $BENCH_IDLE_SECONDS (default 10) on the list and sums PSS and RSS of the app and every process it started
# (WebKitWebProcess, WebKitNetworkProcess) from /proc/PID/smaps_rollup. Prints a Markdown table for
# BENCHMARKS.md. The page cache is warm after the first run: these are "warm disk" cold starts, as the
# clerk's second launch of the day.
#
# Then the capture screen (issue 9): a second data folder holds a dossier with 200 A4 300-dpi scans in its
# first document (made once with `motcua dossier add-pages`, kept in target/) and an empty one. $BENCH_RUNS
# times the app starts with `--open CODE` (the 200-page dossier in progress), the clerk signs in, and the
# script times Alt+3 → the capture screen's first screenful of thumbnails painted (the UI's "capture"
# report), then clicks a thumbnail and presses Page Down 30 times, 50 ms apart, and prints what the UI
# measured during that scroll (frames, the longest gap between two frames, thumbnails still loading at its
# end: the "scroll" report). Then $BENCH_RUNS times with the empty dossier: Ctrl+L, the path of a folder
# of 50 of the scans typed, and Enter → the first imported page painted (the "import" report).
#
# BENCH_APP_PROFILE=release measures the fully optimised (LTO) build if the release profile is set up for
# it; the default `bench` profile is release without LTO.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
profile="${BENCH_APP_PROFILE:-bench}"
dossiers="${BENCH_DOSSIERS:-1000}"
runs="${BENCH_RUNS:-5}"
idle="${BENCH_IDLE_SECONDS:-10}"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
profile_dir="$profile"
[ "$profile" = dev ] && profile_dir=debug
[ "$profile" = bench ] && profile_dir=release

command -v Xvfb >/dev/null || { echo "bench-app: Xvfb not found (apt-get install -y xvfb)" >&2; exit 1; }
command -v xdotool >/dev/null || { echo "bench-app: xdotool not found (apt-get install -y xdotool)" >&2; exit 1; }
# BENCH_NO_BUILD=1 uses the binaries as they are (rebuilding the UI alone makes cargo re-embed it).
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  (cd ui && npm run build --silent)
  cargo build --quiet --profile "$profile" -p motcua-desk --features custom-protocol
  cargo build --quiet --profile "$profile" -p motcua --bin motcua
fi
# BENCH_APP_BIN measures another build of the app (e.g. a copy kept from before a change) in the same
# conditions, for a before/after ratio measured in one sitting.
app="${BENCH_APP_BIN:-$target_dir/$profile_dir/motcua-desk}"
cli="$target_dir/$profile_dir/motcua"

work="$(mktemp -d "${TMPDIR:-/tmp}/motcua-bench-app.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY

# The generated data folder is kept in target/ and reused (1,000 CLI calls take a while); each run works on
# a copy, so runs start from the same state.
data="$target_dir/bench-app-data-$dossiers"
if [ ! -d "$data" ]; then
  echo "bench-app: creating $dossiers dossiers in $data…" >&2
  staging="$data.tmp-$$"
  rm -rf "$staging" && mkdir -p "$staging"
  MOTCUA_DATA_DIR="$staging" "$cli" catalog import data/catalog/sample.json >/dev/null
  procedures=(1.001193 1.000894 2.000815)
  for i in $(seq "$dossiers"); do
    # Valid citizen IDs: province 001 (Hà Nội), century/sex digit 0, birth year 90, serial i.
    printf -v id '00109%07d' "$i"
    MOTCUA_DATA_DIR="$staging" "$cli" dossier new --procedure "${procedures[$((i % 3))]}" \
      --applicant-name "Nguyễn Văn Thử $i" --citizen-id "$id" >/dev/null
  done
  mv "$staging" "$data"
fi
cp -a "$data" "$work/data"
export MOTCUA_DATA_DIR="$work/data"
# The clerk who signs in at each start (the login gate comes before the list).
login=bench-clerk
export BENCH_APP_PASSWORD=mat-khau-do-khoi-dong
"$cli" user add --role clerk --name "Cán bộ Đo" --password-env BENCH_APP_PASSWORD "$login" >/dev/null

display=99
while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do display=$((display + 1)); done
setsid Xvfb ":$display" -screen 0 1366x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X${display}" ] && break; sleep 0.1; done
export DISPLAY=":$display"

# The app and every process below it (WebKit's web and network processes).
descendants() {
  local all=("$1") frontier=("$1") next
  while [ ${#frontier[@]} -gt 0 ]; do
    next=()
    for parent in "${frontier[@]}"; do
      for child in $(cat "/proc/$parent/task/"*/children 2>/dev/null); do next+=("$child"); done
    done
    all+=("${next[@]}")
    frontier=("${next[@]}")
  done
  echo "${all[@]}"
}

# Waits (up to 30 s) for the probe line of `stage` in log $1 and prints its epoch ms.
probe() {
  local log=$1 stage=$2 at=""
  for _ in $(seq 600); do
    at=$(grep -o "ui-ready stage=$stage epoch_ms=[0-9]*" "$log" | cut -d= -f3 || true)
    [ -n "$at" ] && break
    sleep 0.05
  done
  [ -n "$at" ] || { echo "bench-app: the app did not report stage $stage (see $log)" >&2; cat "$log" >&2; exit 1; }
  echo "$at"
}

# Starts the app (extra arguments passed on) with its stderr in $log, waits for the login gate, signs in
# through the keyboard and waits for the list; sets app_pid, gate (epoch ms), enter_ms, list.
start_and_sign_in() {
  MOTCUA_STARTUP_PROBE=1 setsid "$app" "$@" 2>"$log" >/dev/null &
  app_pid=$!
  pids+=($app_pid)
  gate=$(probe "$log" gate)
  # The gate focuses its login field; give the window the keyboard (no window manager under Xvfb).
  window=$(xdotool search --sync --onlyvisible --pid "$app_pid" 2>/dev/null | head -n1)
  xdotool windowfocus --sync "$window"
  xdotool type --delay 1 "$login"
  xdotool key Tab
  xdotool type --delay 1 "$BENCH_APP_PASSWORD"
  enter_ms=$(date +%s%3N)
  xdotool key Return
  list=$(probe "$log" list)
}

# Ends the app started by start_and_sign_in and every process below it.
stop_app() {
  kill -TERM -- "-$app_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$app_pid" 2>/dev/null || true
}

gates=() lists=() starts=()
for run in $(seq "$runs"); do
  log="$work/app-$run.log"
  start_ms=$(date +%s%3N)
  start_and_sign_in
  gates+=($((gate - start_ms)))
  lists+=($((list - enter_ms)))
  starts+=($((gate - start_ms + list - enter_ms)))
  if [ "$run" = "$runs" ]; then
    sleep "$idle"
    echo
    echo "| process | PSS (MiB) | RSS (MiB) |"
    echo "|---|---|---|"
    total_pss=0 total_rss=0
    for pid in $(descendants "$app_pid"); do
      [ -r "/proc/$pid/smaps_rollup" ] || continue
      name=$(tr -d '\0' <"/proc/$pid/comm")
      pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
      rss=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
      total_pss=$((total_pss + pss)) total_rss=$((total_rss + rss))
      awk -v n="$name" -v p="$pss" -v r="$rss" 'BEGIN { printf "| %s | %.1f | %.1f |\n", n, p / 1024, r / 1024 }'
    done
    awk -v p="$total_pss" -v r="$total_rss" 'BEGIN { printf "| **all** | **%.1f** | **%.1f** |\n", p / 1024, r / 1024 }'
  fi
  stop_app
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(($# / 2 + 1))p"; }
echo
echo "Process start → login gate interactive ($profile profile), $runs runs: ${gates[*]} ms; median $(median "${gates[@]}") ms."
echo "Sign-in (Enter) → list of $dossiers dossiers rendered: ${lists[*]} ms; median $(median "${lists[@]}") ms."
echo "Start-up (the two added, typing excluded): ${starts[*]} ms; median $(median "${starts[@]}") ms."

# --- The capture screen with a 200-page dossier -------------------------------------------------------
# 200 distinct A4 300-dpi grey scans (the committed 300-dpi fixture with its page number written on it).
scans="$target_dir/bench-app-scans-300dpi"
if [ ! -d "$scans" ]; then
  echo "bench-app: making 200 A4 300-dpi scans in $scans…" >&2
  rm -rf "$scans.tmp" && mkdir -p "$scans.tmp"
  for i in $(seq -w 1 200); do
    convert tests/fixtures/scans/text-skew+2.5-300.jpg -fill black -pointsize 60 \
      -annotate +200+3300 "Trang $i / 200" -quality 85 "$scans.tmp/scan-$i.jpg"
  done
  mv "$scans.tmp" "$scans"
fi
capture_data="$target_dir/bench-app-capture-data"
if [ ! -d "$capture_data" ]; then
  echo "bench-app: storing the 200 scans as pages of one dossier in $capture_data…" >&2
  staging="$capture_data.tmp-$$"
  rm -rf "$staging" && mkdir -p "$staging"
  MOTCUA_DATA_DIR="$staging" "$cli" catalog import data/catalog/sample.json >/dev/null
  big=$(MOTCUA_DATA_DIR="$staging" "$cli" dossier new --procedure 1.001193 \
    --applicant-name "Nguyễn Văn Hai Trăm" --citizen-id 001090000200)
  MOTCUA_DATA_DIR="$staging" "$cli" dossier add-pages "$big" TP1 "$scans"/scan-*.jpg >/dev/null
  MOTCUA_DATA_DIR="$staging" "$cli" user add --role clerk --name "Cán bộ Đo" \
    --password-env BENCH_APP_PASSWORD "$login" >/dev/null
  empty=$(MOTCUA_DATA_DIR="$staging" "$cli" dossier new --procedure 1.001193 \
    --applicant-name "Trần Thị Năm Mươi" --citizen-id 001090000050)
  echo "$big" >"$staging/bench-200-pages"
  echo "$empty" >"$staging/bench-empty"
  mv "$staging" "$capture_data"
fi
big=$(cat "$capture_data/bench-200-pages")
empty=$(cat "$capture_data/bench-empty")
# Each run starts from the same data (an import run adds pages).
fresh_capture_data() { rm -rf "$work/data" && cp -a "$capture_data" "$work/data"; }

# Prints the key=value detail of the probe line of `stage` in log $1 (after waiting for it).
probe_detail() {
  probe "$1" "$2" >/dev/null
  grep -o "ui-ready stage=$2 epoch_ms=[0-9]* .*" "$1" | cut -d' ' -f4-
}

opens=() scrolls=()
for run in $(seq "$runs"); do
  log="$work/capture-$run.log"
  fresh_capture_data
  start_and_sign_in --open "$big"
  open_ms=$(date +%s%3N)
  xdotool key alt+3
  painted=$(probe "$log" capture)
  opens+=($((painted - open_ms)))
  # What was measured, for the eye: the window at that moment.
  [ "$run" = "$runs" ] && import -window root "$target_dir/bench-app-capture.png" 2>/dev/null || true
  # A click on a thumbnail of the first row (the grid's lower right part of the window), then 30
  # Page Down, one every 50 ms: the grid scrolls through the 200 pages. (Wheel events sent through XTEST
  # do not reach WebKitGTK under Xvfb, the keyboard does.)
  eval "$(xdotool getwindowgeometry --shell "$window")"
  xdotool mousemove $((X + WIDTH * 7 / 10)) $((Y + HEIGHT * 70 / 100)) click 1
  sleep 0.3
  for _ in $(seq 30); do xdotool key Page_Down; sleep 0.05; done
  scrolls+=("$(probe_detail "$log" scroll)")
  stop_app
done
echo
echo "Alt+3 → capture screen of a 200-page dossier with its first thumbnails painted, $runs runs: ${opens[*]} ms; median $(median "${opens[@]}") ms."
echo "Page Down ×30 over that grid (50 ms apart), what the UI measured per run:"
printf '  %s\n' "${scrolls[@]}"

# A folder of 50 of the scans (links), typed as one path: typing 50 paths makes WebKit lag behind the
# keyboard by seconds, which would be timed instead of the import.
mkdir -p "$work/s"
for i in $(seq -w 1 50); do ln -sf "$scans/scan-0$i.jpg" "$work/s/$i.jpg"; done
typed="$work/s"
imports=()
for run in $(seq "$runs"); do
  log="$work/import-$run.log"
  fresh_capture_data
  start_and_sign_in --open "$empty"
  xdotool key alt+3
  # The capture screen is up once its path field takes the focus (Ctrl+L).
  sleep 1
  xdotool key ctrl+l
  xdotool type --delay 1 "$typed"
  import_ms=$(date +%s%3N)
  xdotool key Return
  first=$(probe "$log" import)
  imports+=($((first - import_ms)))
  stop_app
done
echo
echo "Enter on a folder of 50 scans → the first imported page painted, $runs runs: ${imports[*]} ms; median $(median "${imports[@]}") ms."
