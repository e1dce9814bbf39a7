#!/usr/bin/env bash
# Fuzzes the design parser, the photo decoders and the web server's JSON and form
# extractors, each for SMP_FUZZ_SECONDS (default 60), and prints the figures.
# Usage: scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
export SMP_FUZZ_SECONDS="${1:-${SMP_FUZZ_SECONDS:-60}}"
echo "fuzzing each target for ${SMP_FUZZ_SECONDS} s" >&2
cargo test -q -p smp-design --test fuzz -- --include-ignored --nocapture 2>&1 | grep -E "design parser|panicked|FAILED" || true
cargo test -q -p smp-photo --test fuzz -- --include-ignored --nocapture 2>&1 | grep -E "photo decoders|^ +[0-9]+ |panicked|FAILED" || true
cargo test -q -p smp-web --test fuzz -- --include-ignored --nocapture 2>&1 | grep -E "web extractors|panicked|FAILED" || true
