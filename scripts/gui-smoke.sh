#!/usr/bin/env bash
# GUI smoke test: starts `sanshen --demo` in a real window under Xvfb, selects
# the first item and opens its diff tab with xdotool, searches for an item with
# two versions and shows their diff, and saves screenshots
# under build/gui-smoke/. It fails when the window does not appear, the app
# dies, or a screenshot is blank.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/gui-smoke
rm -rf "$out"
mkdir -p "$out"
for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "gui-smoke: $tool is missing (make setup installs it)" >&2; exit 1; }
done
[ -x bin/sanshen ] || { echo "gui-smoke: bin/sanshen is missing (make build)" >&2; exit 1; }

tmp=$(mktemp -d)
app_pid=""
xvfb_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Let Xvfb choose a free display and tell us its number.
exec 3>"$tmp/display"
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$tmp/display" ] && break; sleep 0.1; done
exec 3>&-
export DISPLAY=":$(head -1 "$tmp/display")"
echo "gui-smoke: Xvfb on $DISPLAY"

# A private home for the app's preferences and the demo's data.
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" TMPDIR="$tmp"
export LANG="${LANG:-en_US.UTF-8}"
start=$(date +%s%N)
./bin/sanshen --demo >"$out/sanshen.log" 2>&1 &
app_pid=$!

win=""
for _ in $(seq 300); do
  win=$(xdotool search --onlyvisible --name "三审" 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  kill -0 "$app_pid" 2>/dev/null || { echo "gui-smoke: sanshen exited early:" >&2; cat "$out/sanshen.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$win" ] || { echo "gui-smoke: no window after 30 s" >&2; cat "$out/sanshen.log" >&2; exit 1; }
echo "gui-smoke: window $win after $(( ($(date +%s%N) - start) / 1000000 )) ms"

shot() {
  import -window root "$out/$1.png"
  # A blank screen has no spread of colours.
  sd=$(convert "$out/$1.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || { echo "gui-smoke: $1.png looks blank (sd=$sd)" >&2; exit 1; }
  echo "gui-smoke: $out/$1.png"
}

sleep 3 # first sync of the demo
shot 1-queue
xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 0.5
xdotool key --window "$win" j   # select the first item
sleep 2
shot 2-item
xdotool key --window "$win" n   # open the diff tab at the first change
sleep 2
shot 3-diff
xdotool key --window "$win" question # the shortcut list
sleep 1
shot 4-shortcuts
xdotool key --window "$win" Escape   # close the list
sleep 0.5
# Find an item with two versions by typing in the search box (/), pick it
# (Enter) and read its diff.
xdotool key --window "$win" slash
sleep 0.3
# One character: xdotool types CJK by remapping a spare keycode per
# character and drops repeated ones; "五" matches only the 十五五 plan. It needs
# a UTF-8 locale for itself: C.UTF-8 is always there, en_US.UTF-8 may not be.
if LC_ALL=C.UTF-8 xdotool type --window "$win" --delay 50 "五"; then
  sleep 0.5
  xdotool key --window "$win" Return
  sleep 1.5
  xdotool key --window "$win" n
  sleep 2
  shot 5-search-diff
else
  echo "gui-smoke: xdotool cannot type Chinese here; search step skipped" >&2
fi

kill -0 "$app_pid" 2>/dev/null || { echo "gui-smoke: sanshen died" >&2; cat "$out/sanshen.log" >&2; exit 1; }
if grep -E "panic|DATA RACE" "$out/sanshen.log"; then
  echo "gui-smoke: the app log shows a panic or race" >&2
  exit 1
fi
echo "gui-smoke: ok"
