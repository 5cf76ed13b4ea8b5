#!/usr/bin/env bash
# Shared set-up for the README's commands: install what is missing, then build.
# Sourced by scripts/run_example.sh and scripts/test.sh; idempotent, and quick
# when nothing changed (dpkg checks, then an incremental CMake build).
set -euo pipefail

STAFFSIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${STAFFSIM_BUILD_DIR:-$STAFFSIM_ROOT/build}"
JOBS="${STAFFSIM_JOBS:-$(nproc)}"

APT_PACKAGES=(
  cmake ninja-build g++ pkg-config git python3 python3-venv
  libeigen3-dev libboost-program-options-dev libhdf5-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev librandom123-dev
  libssl-dev netcdf-bin clang-format clang-tidy
)

# Each line says how long the command has run, so slow stages show in CI logs.
staffsim_log() { printf '[staffsim setup %4ds] %s\n' "$SECONDS" "$*" >&2; }

# Install Debian packages that are not already installed (root or sudo).
staffsim_install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  staffsim_log "installing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The project's virtual environment (.venv) with the pinned Python tools of
# requirements-dev.txt; reinstalled only when that file changes.
VENV_DIR="${STAFFSIM_VENV:-$STAFFSIM_ROOT/.venv}"
staffsim_python_env() {
  if [ ! -x "$VENV_DIR/bin/python" ]; then
    staffsim_log "creating $VENV_DIR"
    python3 -m venv "$VENV_DIR"
  fi
  local stamp="$VENV_DIR/.requirements.sha256"
  local want
  want=$(sha256sum "$STAFFSIM_ROOT/requirements-dev.txt" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    staffsim_log "installing Python tools (requirements-dev.txt)"
    "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check -r "$STAFFSIM_ROOT/requirements-dev.txt"
    echo "$want" > "$stamp"
  fi
}

# Configure (once) and build one CMake tree. Extra arguments go to configure.
staffsim_build() {
  local dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    staffsim_log "configuring $dir"
    cmake -S "$STAFFSIM_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  fi
  staffsim_log "building $dir"
  cmake --build "$dir" --parallel "$JOBS"
}

# The Python package (pyproject.toml) installed into .venv. scikit-build-core
# builds in the Release tree itself ($BUILD_DIR, with its tests and
# benchmarks kept on), so the engine is compiled once for the CLI, the tests
# and the package: pip compiles only the module. Without build isolation it
# uses .venv's scikit-build-core and pybind11 (requirements-dev.txt), whose
# paths then stay the same from run to run.
staffsim_python_package() {
  staffsim_log "installing the staffsim Python package into $VENV_DIR"
  CMAKE_BUILD_PARALLEL_LEVEL="$JOBS" "$VENV_DIR/bin/python" -m pip install -q \
    --disable-pip-version-check --no-build-isolation --no-deps \
    -C build-dir="$BUILD_DIR" -C cmake.define.STAFFSIM_BUILD_TESTS=ON \
    -C cmake.define.STAFFSIM_BUILD_BENCHMARKS=ON "$STAFFSIM_ROOT"
}
