// Google Benchmark: ensemble throughput on the shipped England baseline
// (DESIGN.md 6: 1 -> 2 threads >= 1.8x "on the compute", no results file).
// Run:
//   build/benchmarks/bench_ensemble --benchmark_repetitions=3 --benchmark_report_aggregates_only
// BM_EnsembleCompute/threads:T runs staffsim::run_ensemble (kDraws draws) with T
// worker threads (EnsembleOptions::threads, not Google Benchmark's own
// threading) and reports draws_per_s. The scenario is loaded once, outside
// the timing; each iteration includes the per-draw summaries (quantiles,
// means) that run_ensemble computes, but not the HDF5 writer.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "staffsim/ensemble.hpp"
#include "staffsim/scenario.hpp"

namespace {

const staffsim::Scenario& england_baseline() {
  static const staffsim::Scenario sc = staffsim::load_scenario(
      std::filesystem::path(STAFFSIM_SOURCE_DIR) / "scenarios/england_2025/baseline.yaml");
  return sc;
}

constexpr std::uint64_t kDraws = 256;

void BM_EnsembleCompute(benchmark::State& state) {
  const staffsim::Scenario& sc = england_baseline();
  staffsim::EnsembleOptions o;
  o.threads = static_cast<int>(state.range(0));
  o.draws = kDraws;
  o.seed = 1;
  for (auto _ : state) {
    staffsim::EnsembleResults res = staffsim::run_ensemble(sc, o);
    benchmark::DoNotOptimize(res.per_draw.data());
    benchmark::ClobberMemory();
  }
  state.counters["draws_per_s"] =
      benchmark::Counter(static_cast<double>(o.draws) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EnsembleCompute)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
