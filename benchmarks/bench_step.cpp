// Google Benchmark kernels for the supply engine (DESIGN.md 6). Run:
//   build/benchmarks/bench_step --benchmark_repetitions=10 --benchmark_report_aggregates_only
// A synthetic scenario of England's shape (8 roles x 5 sectors x ages 16..74 x
// 4 tenure bands, 2010-2035, quarterly) with every flow active, until the
// shipped England scenario arrives.
#include <benchmark/benchmark.h>

#include <string>

#include "staffsim/scenario.hpp"
#include "staffsim/simulation.hpp"

namespace {

using staffsim::Scenario;

Scenario england_shaped(int steps_per_year) {
  Scenario sc;
  sc.name = "england_shaped";
  sc.time = staffsim::TimeGrid{2010, 2035, steps_per_year, 11};
  sc.dims.roles = {"care_worker",        "senior_care_worker", "manager",
                   "registered_nurse",   "social_worker",      "occupational_therapist",
                   "personal_assistant", "ancillary"};
  sc.dims.sectors = {"local_authority", "private", "voluntary", "nhs", "direct_payment"};
  sc.dims.min_age = 16;
  sc.dims.max_age = 74;
  const int R = sc.dims.n_roles();
  const int S = sc.dims.n_sectors();
  const int A = sc.dims.n_ages();
  const int K = sc.dims.n_bands();
  sc.fte_factor.setConstant(R, S, 0.75);
  sc.opening.total = 1.6e6;
  sc.turnover.base.setConstant(R, S, 0.18);
  sc.turnover.age_factor.setOnes(R, A);
  for (int a = 0; a < A; ++a) {
    const double age = 16 + a;
    sc.turnover.age_factor.col(a) = age < 30 ? 1.4 : age < 40 ? 1.2 : age < 50 ? 1.0 : 0.9;
  }
  sc.turnover.tenure_factor.setOnes(R, K);
  sc.turnover.tenure_factor.col(0) = 2.0;
  sc.retirement.q.setZero(R, A);
  for (int a = 0; a < A; ++a) {
    const double age = 16 + a;
    sc.retirement.q.col(a) = age < 55 ? 0.0 : age < 60 ? 0.01 : age < 65 ? 0.06 : 0.2;
  }
  for (int r = 0; r < R; ++r) {
    for (int s = 0; s < S; ++s) {
      staffsim::DestinationSplit split;
      split.exit_share = 0.5;
      split.moves.push_back({staffsim::MoveKind::same_sector, r, s, 0.4});
      split.moves.push_back({staffsim::MoveKind::to_sector, r, (s + 1) % S, 0.1});
      sc.destinations.push_back(split);
      sc.posts.fte.push_back(staffsim::YearPath{{2010.0, 2035.0}, {30000.0, 45000.0}});
    }
  }
  sc.promotion.push_back({"care_to_senior", 0, 1, 0.1, 1, {}});
  sc.promotion.push_back({"senior_to_manager", 1, 2, 0.08, 2, {}});
  staffsim::Source src;
  src.name = "career_changers";
  src.age_dist.setConstant(A, 1.0 / A);
  sc.sources.push_back(src);
  staffsim::RecruitmentRule rule;
  rule.mode = staffsim::RecruitMode::fill_vacancies;
  rule.fill_rate = 0.8;
  rule.source_shares.setOnes(1);
  sc.recruitment.assign(static_cast<std::size_t>(R * S), rule);
  return sc;
}

// One deterministic draw, 2010-2035, including building the opening stock.
void BM_OneDraw(benchmark::State& state) {
  const Scenario sc = england_shaped(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    staffsim::Simulation sim(sc);
    sim.run();
    benchmark::DoNotOptimize(sim.headcount().data());
  }
}
BENCHMARK(BM_OneDraw)->Arg(4)->Arg(12)->Unit(benchmark::kMillisecond);

// The step alone (the opening stock built outside the timing).
void BM_Steps(benchmark::State& state) {
  const Scenario sc = england_shaped(4);
  for (auto _ : state) {
    state.PauseTiming();
    staffsim::Simulation sim(sc);
    state.ResumeTiming();
    sim.run();
    benchmark::DoNotOptimize(sim.headcount().data());
  }
}
BENCHMARK(BM_Steps)->Unit(benchmark::kMillisecond);

}  // namespace
