#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job on a
# shipped scenario: prints the annual summary table and writes a results file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
staffsim_install_apt
staffsim_build "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
SCENARIO="${1:-$STAFFSIM_ROOT/scenarios/central_bedfordshire_2009/calibration.yaml}"
OUT="${2:-$STAFFSIM_ROOT/results/$(basename "$(dirname "$SCENARIO")")_$(basename "$SCENARIO" .yaml).h5}"
mkdir -p "$(dirname "$OUT")"
"$BUILD_DIR/staffsim" run "$SCENARIO" -o "$OUT"
echo "results written to $OUT (staffsim summary $OUT; xarray.open_dataset(path, engine=\"h5netcdf\"))"
