#!/usr/bin/env bash
# Regenerates the MotCua Desk app icon set: draws icon-source.png (1024×1024, shapes only, so no font is
# needed) with ImageMagick 6 `convert`, then lets the Tauri CLI derive every size and format the bundler
# wants (32x32.png, 128x128.png, 128x128@2x.png, icon.png, icon.ico, icon.icns, Windows tiles).
# Usage (from the repo root, after `npm ci` in ui/): bash icons/generate.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
convert -size 1024x1024 xc:none \
  -fill '#123a6b' -draw 'roundrectangle 64,64 960,960 180,180' \
  -fill '#c8102e' -draw 'rectangle 64,820 960,880' \
  -fill '#ffffff' -draw 'roundrectangle 300,190 724,760 36,36' \
  -fill '#9fb3cc' -draw 'rectangle 370,300 654,330' -draw 'rectangle 370,390 654,420' \
  -draw 'rectangle 370,480 580,510' \
  -fill '#c8102e' -draw 'circle 640,640 640,560' \
  -fill '#ffffff' -draw 'polygon 600,640 628,668 684,606 698,620 628,696 586,654' \
  -draw 'rectangle 0,0 0,0' \
  "$here/icon-source.png"
(cd "$here/../ui" && npx tauri icon "$here/icon-source.png" --output "$here")
# Mobile and store-tile variants are not used by this desktop-only app.
rm -rf "$here/android" "$here/ios" "$here"/Square*Logo.png "$here/StoreLogo.png"
