#!/bin/sh
# A lobby TV's mini-PC: Chromium in kiosk mode on this screen's page, restarted if it
# ever exits. Run it from the TV user's desktop autostart (kiosk/lobby-tv.desktop).
#
#   SIGNAGE_SCREEN_URL=http://192.168.1.10/screen/<key>   (or /screen to pair by code)
#
# --autoplay-policy=no-user-gesture-required: the TV chimes and speaks with nobody
#   touching it, so no "Bật âm thanh" button is needed.
# --unsafely-treat-insecure-origin-as-secure: on plain http on the ward's LAN, lets the
#   page install its service worker, so a TV that reboots while the server is down
#   still opens its last slides.
set -u
URL="${SIGNAGE_SCREEN_URL:?set SIGNAGE_SCREEN_URL to this screen's address}"
ORIGIN=$(printf '%s' "$URL" | sed -E 's#^(https?://[^/]+).*#\1#')
PROFILE="${XDG_CONFIG_HOME:-$HOME/.config}/signage-tv"
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome)

# Never blank or power-save the screen (X11; harmless elsewhere).
xset s off 2>/dev/null; xset -dpms 2>/dev/null; xset s noblank 2>/dev/null

while true; do
  # A crash or power cut leaves "Chromium didn't shut down correctly": clear it.
  sed -i 's/"exited_cleanly":false/"exited_cleanly":true/; s/"exit_type":"Crashed"/"exit_type":"Normal"/' \
    "$PROFILE/Default/Preferences" 2>/dev/null
  "$BROWSER" --kiosk --noerrdialogs --disable-infobars --no-first-run \
    --user-data-dir="$PROFILE" \
    --autoplay-policy=no-user-gesture-required \
    --unsafely-treat-insecure-origin-as-secure="$ORIGIN" \
    --check-for-update-interval=31536000 --disable-component-update \
    --disable-features=Translate,MediaRouter --disable-session-crashed-bubble \
    --overscroll-history-navigation=0 --disable-pinch \
    "$URL"
  sleep 5
done
