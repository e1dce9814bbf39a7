#!/bin/sh
# Whole-process `smp preview` (healed, 12 MP JPEG in, JPEG out) against `vips gaussblur`
# σ = 8 on the same JPEG (JPEG in and out), alternating runs; prints each run and the
# median ratio. Needs libvips-tools (apt-get update && apt-get install -y libvips-tools)
# and a release build of smp (cargo build --release -p smp-cli).
# Usage: scripts/bench-vips.sh [RUNS]   (default 7, at least 5)
set -eu
RUNS=${1:-7}
[ "$RUNS" -ge 5 ] || { echo "use at least 5 runs" >&2; exit 2; }
SMP=${SMP:-target/release/smp}
command -v vips >/dev/null || { echo "vips not found: apt-get install -y libvips-tools" >&2; exit 2; }
[ -x "$SMP" ] || { echo "$SMP not found: cargo build --release -p smp-cli" >&2; exit 2; }
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
# A 12 MP synthetic head (3100 × 3875 px) with its calibrated design, as a JPEG.
"$SMP" synth --pattern norwood-5 --view top --width 3100 --seed 3 -q -o "$DIR/head.png" --design "$DIR/head.json" >/dev/null
vips copy "$DIR/head.png" "$DIR/photo.jpg[Q=90]"
now() { date +%s.%N; }
ratios=""
i=0
while [ "$i" -lt "$RUNS" ]; do
  t0=$(now)
  "$SMP" preview "$DIR/head.json" --photo "$DIR/photo.jpg" --state healed -q -o "$DIR/out.jpg"
  t1=$(now)
  vips gaussblur "$DIR/photo.jpg" "$DIR/blur.jpg[Q=90]" 8
  t2=$(now)
  r=$(echo "($t1 - $t0) / ($t2 - $t1)" | bc -l)
  printf 'run %d: smp preview %.3f s, vips gaussblur %.3f s, ratio %.2f\n' "$i" "$(echo "$t1 - $t0" | bc -l)" "$(echo "$t2 - $t1" | bc -l)" "$r"
  ratios="$ratios $r"
  i=$((i + 1))
done
echo "$ratios" | tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {printf "median ratio %.2f over %d runs\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), NR}'
