#!/bin/sh
# The calibration card's detection bar (issue: photo protocol) on 200 synthetic photos:
# heads and close-ups at 3–30 px/mm, the card turned and tilted up to 30°, colour casts,
# ±1 stop, JPEG quality 70. Prints how many were found, the scale error, the corrected
# neutrals and skin/hair colour through the card against plain sampling.
# Usage: scripts/card-sweep.sh   (optimised build; a few minutes on 2 cores)
set -eu
exec cargo test --release -p smp-report --test card_detect card_sweep -- --include-ignored --nocapture
