#!/usr/bin/env bash
# Fuzzes the upload importer for a bounded time (default 60 s), seeded with small real backups.
# cargo-fuzz needs nightly compiler flags; the machine has one stable toolchain, so
# RUSTC_BOOTSTRAP=1 lets that toolchain accept them for this build only.
#   content/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
corpus=$(mktemp -d /tmp/etapolku-fuzz.XXXXXX)
trap 'rm -rf "$corpus"' EXIT
fixtures=../../../shared/fixtures
for f in moodle_28_quiz.mbz moodle_311_quiz.mbz moodle_availability_26_format.mbz h5p_greeting_card_887.h5p; do
  [ -f "$fixtures/$f" ] && cp "$fixtures/$f" "$corpus/"
done
RUSTC_BOOTSTRAP=1 cargo fuzz run import "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048
