#!/usr/bin/env bash
# End-to-end test of the MotCua Desk app: builds the UI and the shell (debug, bundled UI), imports the sample
# catalogue into a throw-away data folder, starts a virtual display (Xvfb) and tauri-driver (in front of
# WebKitWebDriver), then runs every tests/e2e/*.e2e.mjs in turn, each with a fresh app session on the same
# data folder (desk.e2e.mjs creates a dossier through the window and checks it with the `motcua` CLI;
# supervisor.e2e.mjs signs in, verifies, configures, reports; queue.e2e.mjs drives the outbox against the
# sandbox portal, whose database and office token are made here so the app starts with its queue
# configured; counter.e2e.mjs runs the counter workflow; flow.e2e.mjs runs the issue's whole flow, from the
# CCCD to the portal's acceptance and the verify screen, against the same portal). HOME and XDG_* point
# into the temporary folder so nothing touches the real profile. Screenshots land in
# target/e2e-screenshots/. Exits non-zero if any step fails.
#
# Needs: `npm ci` done in ui/, the `motcua` CLI buildable, xvfb, webkit2gtk-driver, tauri-driver on PATH
# (or in ~/.cargo/bin). Optional: MOTCUA_E2E_CATALOG (catalogue file; default data/catalog/sample.json),
# MOTCUA_E2E_KEEP=1 to keep the temporary folder for inspection, MOTCUA_E2E_ONLY=dossiers (comma-separated
# names) to run only those files.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
catalog="${MOTCUA_E2E_CATALOG:-$repo/data/catalog/sample.json}"
export PATH="$PATH:$HOME/.cargo/bin"

fail() { echo "e2e: $*" >&2; exit 1; }
command -v Xvfb >/dev/null || fail "Xvfb not found: apt-get install -y xvfb xauth"
[ -x /usr/bin/WebKitWebDriver ] || fail "/usr/bin/WebKitWebDriver not found: apt-get install -y webkit2gtk-driver"
command -v tauri-driver >/dev/null || fail "tauri-driver not found: cargo install tauri-driver --locked"
[ -d ui/node_modules ] || fail "ui/node_modules missing: run 'npm ci' in ui/ first"
[ -f "$catalog" ] || fail "catalogue $catalog not found (set MOTCUA_E2E_CATALOG)"

echo "e2e: building UI and app (debug)…"
(cd ui && npm run build --silent)
# The same targets and features as `make test-rust`, so the test run's artifacts (Tauri above all) are reused
# instead of compiled a second time with another feature set.
cargo build --quiet --workspace --all-targets --features motcua-desk/custom-protocol
app="$target_dir/debug/motcua-desk"
cli="$target_dir/debug/motcua"
screenshots="$target_dir/e2e-screenshots"
rm -rf "$screenshots" && mkdir -p "$screenshots"

work="$(mktemp -d "${TMPDIR:-/tmp}/motcua-e2e.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    # Each helper runs in its own session (setsid): killing the group also stops WebKitWebDriver and
    # the WebKit processes, so the next run can bind the ports again.
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] || [ "${MOTCUA_E2E_KEEP:-0}" = 1 ]; then
    echo "e2e: logs and data kept in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT

export HOME="$work/home"
export XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_STATE_HOME="$work/home/.local/state"
export XDG_RUNTIME_DIR="$work/runtime"
export MOTCUA_DATA_DIR="$work/data"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$MOTCUA_DATA_DIR"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY
# WebKitWebDriver takes screenshots through the compositor, which the app switches off to save memory
# (src-tauri/src/lib.rs, webview_memory); the tests turn it back on.
export MOTCUA_WEBVIEW_COMPOSITING=1

"$cli" catalog import "$catalog" >"$work/catalog-import.log"

# The sandbox portal for the outbox flow: its database and office token now, so the app (started by
# tauri-driver, inheriting this environment) finds its queue configured; queue.e2e.mjs starts and stops it.
portal_bin="$target_dir/debug/motcua-portal"
portal_db="$work/portal"
portal_port=18787
while (exec 3<>"/dev/tcp/127.0.0.1/$portal_port") 2>/dev/null; do portal_port=$((portal_port + 1)); done
agency="$("$cli" config get agency.code 2>/dev/null || true)"
agency="${agency:-000.00.06.H56}"
MOTCUA_PORTAL_TOKEN="$("$portal_bin" --db "$portal_db" token create --office "$agency" 2>/dev/null)"
export MOTCUA_PORTAL_TOKEN
"$cli" config set portal.url "http://127.0.0.1:$portal_port" >/dev/null
"$cli" config set portal.token-env MOTCUA_PORTAL_TOKEN >/dev/null

# A free display number and free ports, so parallel runs (or a developer's own X server) do not collide.
display=99
while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do display=$((display + 1)); done
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=4444
while ! port_free "$port" || ! port_free "$((port + 1))"; do port=$((port + 2)); done

setsid Xvfb ":$display" -screen 0 1280x1024x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X${display}" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X${display}" ] || fail "Xvfb did not start (see $work/xvfb.log)"
export DISPLAY=":$display"

setsid tauri-driver --port "$port" --native-port "$((port + 1))" --native-driver /usr/bin/WebKitWebDriver \
  >"$work/tauri-driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do port_free "$port" || break; sleep 0.1; done
port_free "$port" && fail "tauri-driver did not listen on $port (see $work/tauri-driver.log)"

# Every tests/e2e/*.e2e.mjs in turn, each with its own app session(s) on the same data folder; desk.e2e.mjs
# first, since it starts from an empty dossier list.
status=0
# MOTCUA_E2E_ONLY=name[,name…] runs only tests/e2e/<name>.e2e.mjs (e.g. `MOTCUA_E2E_ONLY=dossiers`).
for test in tests/e2e/desk.e2e.mjs $(ls tests/e2e/*.e2e.mjs | grep -v '/desk.e2e.mjs$'); do
  if [ -n "${MOTCUA_E2E_ONLY:-}" ] && ! [[ ",$MOTCUA_E2E_ONLY," == *",$(basename "$test" .e2e.mjs),"* ]]; then
    continue
  fi
  echo "e2e: running $test on DISPLAY=$DISPLAY, tauri-driver :$port"
  APP_BINARY="$app" MOTCUA_BIN="$cli" WEBDRIVER_PORT="$port" SCREENSHOT_DIR="$screenshots" E2E_WORK="$work" \
    PORTAL_BIN="$portal_bin" PORTAL_DB="$portal_db" PORTAL_PORT="$portal_port" REPO="$repo" \
    node "$test" || status=1
done
echo "e2e: screenshots in $screenshots"
exit "$status"
