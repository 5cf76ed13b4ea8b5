#!/usr/bin/env bash
# README command 2: install what is missing, build, and pass every test:
#   1. Release build: C++ unit and invariant tests (CTest); the Python package
#      installed into .venv (pip, reusing its build tree); then the Python
#      tests of tests/python (pytest) against that build's staffsim command,
#      including `pip install .` into a fresh virtual environment;
#   2. AddressSanitizer + UBSan build of the engine and its C++ tests (CTest);
#   3. lint: clang-format on every C++ file, ruff on the Python, clang-tidy on engine/.
# Set STAFFSIM_SKIP_SANITIZE=1 or STAFFSIM_SKIP_LINT=1 to skip a stage locally.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
staffsim_install_apt
staffsim_python_env

staffsim_build "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
staffsim_log "C++ tests (Release)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
staffsim_python_package
staffsim_log "Python tests (results files, the staffsim package)"
# The fresh-venv test (an isolated build, whose pybind11 lives in a folder
# pip deletes) builds in pyproject.toml's own tree, never in $BUILD_DIR:
# reconfiguring $BUILD_DIR with it would break the next build there.
STAFFSIM_CLI="$BUILD_DIR/staffsim" \
  "$VENV_DIR/bin/python" -m pytest -q -p no:cacheprovider "$STAFFSIM_ROOT/tests/python"

if [ "${STAFFSIM_SKIP_SANITIZE:-0}" != 1 ]; then
  SAN_DIR="$STAFFSIM_ROOT/build-sanitize"
  staffsim_build "$SAN_DIR" -DCMAKE_BUILD_TYPE=Debug -DSTAFFSIM_SANITIZE=ON \
    -DSTAFFSIM_BUILD_BENCHMARKS=OFF
  staffsim_log "C++ tests (ASan + UBSan, debug assertions on)"
  # Left to the Release run: statistical tests that repeat the same code over
  # thousands of draws (their memory behaviour is that of the draws the other
  # tests run), and the 1/2/8-thread file comparisons (CLI runs of 70-130
  # draws, three times), and the ABC round trips (4,500 model runs; the
  # small ABC tests still run here). Under the sanitizers they took 8 of its
  # 10 minutes.
  SLOW_UNDER_SANITIZERS='FillVacanciesBiasIsMeasured|MeansOfLinearFlowsConverge|IdenticalOnOneTwoAndEightThreads|AbcPosteriorCoversKnownParameters'
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir "$SAN_DIR" --output-on-failure -j "$JOBS" -E "$SLOW_UNDER_SANITIZERS"
fi

if [ "${STAFFSIM_SKIP_LINT:-0}" != 1 ]; then
  staffsim_log "clang-format check"
  git -C "$STAFFSIM_ROOT" ls-files '*.cpp' '*.hpp' | (cd "$STAFFSIM_ROOT" && xargs "$VENV_DIR/bin/clang-format" --dry-run -Werror)
  staffsim_log "ruff on the Python code"
  (cd "$STAFFSIM_ROOT" && "$VENV_DIR/bin/ruff" check tests/python tests/regression benchmarks bindings)
  staffsim_log "clang-tidy on engine/"
  git -C "$STAFFSIM_ROOT" ls-files 'engine/*.cpp' | (cd "$STAFFSIM_ROOT" && xargs -P "$JOBS" -n 4 clang-tidy -p "$BUILD_DIR" --quiet --warnings-as-errors='*' 2>/dev/null)
fi
staffsim_log "all tests passed"
