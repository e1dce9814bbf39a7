#!/usr/bin/env bash
# Regenerates docs/gallery/: synthetic heads and their fresh / healed / aged:5 previews.
set -euo pipefail
cd "$(dirname "$0")/.."
# SMP_BIN=target/debug/smp scripts/gallery.sh uses an existing build instead.
if [ -z "${SMP_BIN:-}" ]; then
  cargo build --release -q
  SMP_BIN=target/release/smp
fi
smp=$SMP_BIN
out=docs/gallery
tmp=$(mktemp -d)
mkdir -p "$out"
head() { # name pattern view skin hair scar-args...
  local name=$1 pattern=$2 view=$3 skin=$4 hair=$5; shift 5
  $smp synth --pattern "$pattern" --view "$view" --skin "$skin" --hair-level "$hair" --seed 7 --width 360 -q "$@" \
    -o "$tmp/$name.png" --design "$tmp/$name.json"
  cp "$tmp/$name.png" "$out/$name-before.png"
  for state in fresh healed aged:5; do
    $smp preview "$tmp/$name.json" --state "$state" -q -o "$out/$name-${state/:/}.png"
  done
}
head nw5-top norwood-5 top 2 2
head nw3-front norwood-3 front 3 1
head fut-back fut-scar back 4 3 --scar fut
# A close-up at full resolution: the same spot fresh, healed and aged 5 years.
$smp synth --pattern norwood-4 --view top --skin 2 --hair-level 2 --seed 3 --width 2400 -q -o "$tmp/big.png" --design "$tmp/big.json"
for state in fresh healed aged:5; do
  $smp preview "$tmp/big.json" --state "$state" --crop 1050,760,300,220 -q -o "$out/closeup-${state/:/}.png"
done
# Fitted to the client's own head: the photo analysed, the design fitted, then healed,
# before | after, at a consultation photo's scale (1000 px wide: 4 px/mm).
fitted() { # name pattern view skin hair
  local name=$1 pattern=$2 view=$3 skin=$4 hair=$5
  $smp synth --pattern "$pattern" --view "$view" --skin "$skin" --hair-level "$hair" --seed 7 --width 1000 -q \
    -o "$tmp/$name-fit.png" --design "$tmp/$name-fit.json"
  $smp design fit "$tmp/$name-fit.json" --view "$view" -q > /dev/null
  $smp preview "$tmp/$name-fit.json" --state healed --side-by-side -q -o "$out/$name-fitted.png"
}
fitted nw3-front norwood-3 front 3 1
fitted nw5-top norwood-5 top 2 2
fitted nw6-left norwood-6 left 4 4
fitted ludwig2-top ludwig-2 top 2 6
fitted fut-back fut-scar back 4 3
echo "gallery written to $out"
