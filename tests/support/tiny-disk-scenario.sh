#!/usr/bin/env bash
# Runs the `motcua` CLI on a 512 KiB tmpfs, fills it, then makes it read-only, printing one line per step
# for tests/store_unwritable_disk.rs to check. Run it in a private mount namespace so the mount needs no
# real root and vanishes with the process: `unshare -rm bash tiny-disk-scenario.sh DIR MOTCUA CATALOG`.
set -u
dir=$1 motcua=$2 catalog=$3
# Error output goes outside the tiny filesystem: it cannot be written on a full disk.
err=$(mktemp)
trap 'rm -f "$err"' EXIT
mount -t tmpfs -o size=512k none "$dir" || { echo "setup: cannot mount tmpfs"; exit 3; }
export MOTCUA_DATA_DIR="$dir/data" MOTCUA_ACTOR=test
"$motcua" catalog import "$catalog" >/dev/null || { echo "setup: import failed"; exit 3; }
"$motcua" dossier new --procedure 1.001193 --applicant-name "Nguyễn An" --citizen-id 001090012345 >/dev/null \
  || { echo "setup: first dossier failed"; exit 3; }

# Leave 4 KiB free: the next dossier cannot be written.
avail=$(df --output=avail -B1 "$dir" | tail -1)
head -c $((avail - 4096)) /dev/zero >"$dir/filler" 2>/dev/null
"$motcua" dossier new --procedure 1.001193 --applicant-name "Trần Bình" --citizen-id 001090012345 \
  --notes "$(head -c 3000 /dev/zero | tr '\0' x)" >/dev/null 2>"$err"
echo "full: exit=$? $(cat "$err")"
rm -f "$dir/filler"
echo "after-full: dossiers=$("$motcua" dossier list --json | grep -c '"procedure_code"') audit=$("$motcua" audit verify >/dev/null; echo $?)"

mount -o remount,ro "$dir"
"$motcua" dossier new --procedure 1.001193 --applicant-name "Lê Chi" --citizen-id 001090012345 >/dev/null 2>"$err"
echo "read-only: exit=$? $(cat "$err")"
