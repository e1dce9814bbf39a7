#!/bin/sh
# The colour chart on 100 synthetic photos: heads at 3–10 px/mm and bare close-ups at
# 10–30 px/mm, the chart turned and tilted up to 30°, colour casts, ±1 stop, JPEG
# quality 70. Prints how often it was found, how well its corners and colours fit, and
# bare skin read through it against as recorded.
# Usage: scripts/chart-sweep.sh   (optimised build; a few minutes on 2 cores)
set -eu
exec cargo test --release -p smp-photo --test chart chart_sweep -- --include-ignored --nocapture
