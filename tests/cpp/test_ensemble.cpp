// Ensembles (DESIGN.md 2.7): what a run of many draws keeps and summarises,
// and that none of it depends on the number of threads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "ensemble/column_store.hpp"
#include "ensemble/draw_statistics.hpp"
#include "staffsim/ensemble.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/results_reader.hpp"
#include "staffsim/results_writer.hpp"
#include "staffsim/simulation.hpp"
#include "staffsim/summary.hpp"
#include "support/cli_runner.hpp"

namespace staffsim {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::TempDir;

const std::string kProjection =
    std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/central_bedfordshire_2009/projection.yaml";

// ---- Quantiles ------------------------------------------------------------

// Type 7 by definition on a fully sorted copy, for comparison.
double type7(std::vector<float> x, double p) {
  std::sort(x.begin(), x.end());
  const double h = static_cast<double>(x.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= x.size()) return x[lo];
  return x[lo] + (h - static_cast<double>(lo)) * (static_cast<double>(x[lo + 1]) - x[lo]);
}

TEST(Quantiles, Type7OfOneToTenAsNumPyGivesThem) {
  // numpy.quantile(np.arange(1, 11), [0.05, 0.25, 0.5, 0.75, 0.95])
  //   = [1.45, 3.25, 5.5, 7.75, 9.55]: h = 9 p, x[floor h] + frac.
  std::vector<float> x{7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
  const std::vector<double> levels{0.05, 0.25, 0.5, 0.75, 0.95};
  std::vector<double> q(levels.size());
  ensemble::quantiles_type7(x, levels, q);
  const std::vector<double> expected{1.45, 3.25, 5.5, 7.75, 9.55};
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(q[i], expected[i], 1e-12) << i;
}

TEST(Quantiles, AgreeWithAFullSortOnRandomData) {
  std::mt19937_64 gen(7);  // test data only; the engine uses no std:: generators
  const std::vector<double> levels{0.01, 0.05, 0.05, 0.5, 0.5001, 0.95, 1.0 - 1e-9};
  for (const std::size_t n : {1u, 2u, 3u, 17u, 1000u, 1001u}) {
    std::vector<float> x(n);
    for (float& v : x) v = static_cast<float>(static_cast<int>(gen() % 50));  // ties
    std::vector<double> q(levels.size());
    std::vector<float> work = x;
    ensemble::quantiles_type7(work, levels, q);
    for (std::size_t i = 0; i < levels.size(); ++i) {
      EXPECT_NEAR(q[i], type7(x, levels[i]), 1e-9) << "n=" << n << " p=" << levels[i];
    }
  }
}

TEST(Quantiles, NaNInAnyDrawGivesNaN) {
  std::vector<float> x{1, 2, std::nanf(""), 4};
  const std::vector<double> levels{0.5};
  std::vector<double> q(1);
  ensemble::quantiles_type7(x, levels, q);
  EXPECT_TRUE(std::isnan(q[0]));
}

TEST(RunningMoments, MeanAndStandardErrorOfKnownValues) {
  ensemble::RunningMoments m(1);
  const std::vector<double> x{2, 4, 4, 4, 5, 5, 7, 9};  // mean 5, sample var 32/7
  for (std::size_t i = 0; i < x.size(); ++i) m.add(0, x[i], i);
  EXPECT_DOUBLE_EQ(m.mean(0), 5.0);
  EXPECT_NEAR(m.standard_error(0, x.size()), std::sqrt(32.0 / 7.0 / 8.0), 1e-14);
}

// ---- The column store -------------------------------------------------------

TEST(ColumnStore, SpilledAndInMemoryReadTheSame) {
  TempDir dir;
  const std::size_t columns = 5;
  const std::uint64_t draws = 10;
  ensemble::ColumnStore memory(columns, draws, 4, 1 << 20, dir.path());
  ensemble::ColumnStore spilled(columns, draws, 4, 0, dir.path());
  EXPECT_FALSE(memory.spilled());
  EXPECT_TRUE(spilled.spilled());
  EXPECT_TRUE(dir.files().empty()) << "the scratch file is unlinked at once";
  for (std::uint64_t first = 0; first < draws; first += 4) {
    const std::size_t n = std::min<std::uint64_t>(4, draws - first);
    std::vector<float> block(columns * n);
    for (std::size_t c = 0; c < columns; ++c) {
      for (std::size_t i = 0; i < n; ++i)
        block[c * n + i] = static_cast<float>(100 * c + first + i);
    }
    memory.append(block, n);
    spilled.append(block, n);
  }
  std::vector<float> a, b;
  memory.read(1, 3, a);
  spilled.read(1, 3, b);
  EXPECT_EQ(a, b);
  for (std::size_t j = 0; j < 3; ++j) {
    for (std::size_t d = 0; d < draws; ++d) {
      EXPECT_EQ(a[j * draws + d], static_cast<float>(100 * (1 + j) + d));
    }
  }
}

// ---- Ensembles of a deterministic scenario -----------------------------------

TEST(Ensemble, DeterministicDrawsEqualTheSingleRun) {
  const Scenario sc = load_scenario(kProjection);
  const Results single = run_scenario(sc);
  EnsembleOptions o;
  o.draws = 70;  // more than one block of 64
  const EnsembleResults e = run_ensemble(sc, o);
  ASSERT_EQ(e.per_draw.size(), core_variable_names().size());
  const DrawVariable& hc = e.draw_variable("headcount");
  const int RS = sc.dims.n_role_sectors();
  const int years = single.recorded_years();
  ASSERT_EQ(hc.values.size(), 70u * static_cast<std::size_t>(years * RS));
  for (std::size_t d = 0; d < 70; ++d) {
    for (int y = 0; y < years; ++y) {
      for (int rs = 0; rs < RS; ++rs) {
        const float v =
            hc.values[(d * static_cast<std::size_t>(years) + static_cast<std::size_t>(y)) *
                          static_cast<std::size_t>(RS) +
                      static_cast<std::size_t>(rs)];
        ASSERT_EQ(v, static_cast<float>(single.years[static_cast<std::size_t>(y)].headcount[rs]));
      }
    }
  }
  // Means of identical values are the value itself; the error is 0.
  const VariableSummary& s = e.summary("vacancies");
  for (int y = 0; y < years; ++y) {
    for (int rs = 0; rs < RS; ++rs) {
      const std::size_t i = static_cast<std::size_t>(y * RS + rs);
      EXPECT_EQ(s.mean[i], single.years[static_cast<std::size_t>(y)].vacancies[rs]);
      EXPECT_EQ(s.mean_se[i], 0.0);
      EXPECT_EQ(s.quantiles[2 * s.mean.size() + i],
                static_cast<float>(single.years[static_cast<std::size_t>(y)].vacancies[rs]));
    }
  }
}

TEST(Ensemble, ABlockOfDrawsEqualsTheSameDrawsOfTheWhole) {
  // A distributed sweep runs blocks of draws with their global numbers.
  Scenario sc = load_scenario(kProjection);
  sc.stochastic = true;  // so that every draw differs
  EnsembleOptions o;
  o.draws = 10;
  o.seed = 3;
  const EnsembleResults whole = run_ensemble(sc, o);
  o.first_draw = 4;
  o.draws = 6;
  const EnsembleResults block = run_ensemble(sc, o);
  EXPECT_EQ(block.first_draw, 4u);
  const std::vector<float>& a = whole.draw_variable("leavers").values;
  const std::vector<float>& b = block.draw_variable("leavers").values;
  ASSERT_EQ(b.size() * 10, a.size() * 6);
  const auto same = [](float x, float y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  EXPECT_TRUE(std::equal(b.begin(), b.end(),
                         a.begin() + static_cast<std::ptrdiff_t>(a.size() / 10 * 4), same));
}

TEST(Ensemble, ARestartedSimulationEqualsAFork) {
  // The runner reuses one simulation per thread (restart_from) instead of
  // forking for each draw; both must give the draw the same run.
  for (const bool stochastic : {false, true}) {
    Scenario sc = load_scenario(kProjection);
    sc.stochastic = stochastic;
    const Simulation prototype(sc, FlowSwitches{}, DrawKey{7, 0});
    Simulation forked = prototype.fork(DrawKey{7, 5});
    Simulation reused = prototype.fork(DrawKey{7, 1});
    reused.run();  // a used simulation, as a thread's is after its first draw
    reused.restart_from(prototype, DrawKey{7, 5});
    forked.run();
    reused.run();
    EXPECT_TRUE((forked.headcount() == reused.headcount()).all()) << stochastic;
    const auto a = annual_rows(forked.results(), Grouping::total);
    const auto b = annual_rows(reused.results(), Grouping::total);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t y = 1; y < a.size(); ++y) {
      EXPECT_EQ(a[y].leavers, b[y].leavers) << stochastic << " " << a[y].year;
      EXPECT_EQ(a[y].vacancies_fte, b[y].vacancies_fte) << stochastic << " " << a[y].year;
    }
    EXPECT_THROW(reused.restart_from(reused, DrawKey{7, 2}), UsageError);
  }
}

TEST(Ensemble, ShortfallProbabilitiesFollowTheVacancyRate) {
  // The projection opens at a 7.7% vacancy rate and passes 10% in 2010
  // (11.3%; scenarios/README.md): every draw agrees, so P is 0 then 1.
  const Scenario sc = load_scenario(kProjection);
  EnsembleOptions o;
  o.draws = 3;
  const EnsembleResults e = run_ensemble(sc, o);
  const ProbabilityVariable* total = nullptr;
  for (const auto& p : e.probabilities) {
    if (p.name == "p_vacancy_rate_above_total") total = &p;
  }
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(e.shortfall_threshold, 0.10);
  EXPECT_EQ(total->values.at(0), 0.0);  // 2009
  EXPECT_EQ(total->values.at(1), 1.0);  // 2010
}

TEST(Ensemble, RefusesBadOptions) {
  const Scenario sc = load_scenario(kProjection);
  EnsembleOptions o;
  o.draws = 0;
  EXPECT_THROW((void)run_ensemble(sc, o), UsageError);
  o.draws = 2;
  o.quantiles = {0.5, 0.25};
  EXPECT_THROW((void)run_ensemble(sc, o), UsageError);
  o.quantiles = {0.5};
  o.cancelled = [] { return true; };
  EXPECT_THROW((void)run_ensemble(sc, o), Interrupted);
}

TEST(Ensemble, SpillingToAScratchFileChangesNothing) {
  const Scenario sc = load_scenario(kProjection);
  TempDir dir;
  EnsembleOptions o;
  o.draws = 5;
  o.scratch_dir = dir.path();
  const EnsembleResults a = run_ensemble(sc, o);
  o.memory_budget_bytes = 0;
  const EnsembleResults b = run_ensemble(sc, o);
  ASSERT_EQ(a.summaries.size(), b.summaries.size());
  for (std::size_t i = 0; i < a.summaries.size(); ++i) {
    EXPECT_EQ(a.summaries[i].quantiles.size(), b.summaries[i].quantiles.size());
    for (std::size_t j = 0; j < a.summaries[i].quantiles.size(); ++j) {
      const double x = a.summaries[i].quantiles[j];
      const double y = b.summaries[i].quantiles[j];
      EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << a.summaries[i].name;
    }
  }
  EXPECT_TRUE(dir.files().empty());
}

TEST(Ensemble, EstimateGrowsWithTheDraws) {
  const Scenario sc = load_scenario(kProjection);
  EnsembleOptions o;
  o.draws = 1000;
  const EnsembleEstimate small = estimate_ensemble(sc, o);
  o.draws = 100000;
  const EnsembleEstimate large = estimate_ensemble(sc, o);
  EXPECT_GT(large.file_bytes, 50 * small.file_bytes / 2);
  EXPECT_GT(large.peak_memory_bytes, small.peak_memory_bytes);
}

// ---- Files, threads and the CLI ---------------------------------------------------

// Runs the CLI with a fixed SOURCE_DATE_EPOCH and returns the file's bytes.
std::string ensemble_file(const TempDir& dir, const std::vector<std::string>& extra,
                          const std::string& name, const std::string& scenario = kProjection) {
  std::vector<std::string> args{"run", scenario, "-o", (dir.path() / name).string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_file(dir.path() / name);
}

// The same file, byte for byte, on 1, 2 and 8 threads (DESIGN.md 8).
void expect_identical_on_1_2_8_threads(const std::vector<std::string>& args,
                                       const std::string& scenario) {
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  TempDir dir;
  std::vector<std::string> files;
  for (const char* threads : {"1", "2", "8"}) {
    std::vector<std::string> a = args;
    a.insert(a.end(), {"--threads", threads});
    files.push_back(ensemble_file(dir, a, std::string("t") + threads + ".h5", scenario));
  }
  ::unsetenv("SOURCE_DATE_EPOCH");
  ASSERT_FALSE(files[0].empty());
  EXPECT_TRUE(files[0] == files[1]) << "1 vs 2 threads";
  EXPECT_TRUE(files[0] == files[2]) << "1 vs 8 threads";
}

TEST(EnsembleFile, DeterministicIdenticalOnOneTwoAndEightThreads) {
  expect_identical_on_1_2_8_threads({"--draws", "130", "--seed", "5"}, kProjection);
}

TEST(EnsembleFile, StochasticIdenticalOnOneTwoAndEightThreads) {
  expect_identical_on_1_2_8_threads({"--draws", "130", "--seed", "5", "--set", "stochastic=true"},
                                    kProjection);
}

TEST(EnsembleFile, UncertainIdenticalOnOneTwoAndEightThreads) {
  expect_identical_on_1_2_8_threads(
      {"--draws", "70", "--seed", "2"},
      std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/england_2025/uncertain.yaml");
}

TEST(EnsembleFile, StochasticDrawsDifferAndParametersAreRecorded) {
  const Scenario sc =
      load_scenario(std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/england_2025/uncertain.yaml");
  EnsembleOptions o;
  o.draws = 3;
  const EnsembleResults e = run_ensemble(sc, o);
  ASSERT_EQ(e.parameter_names, (std::vector<std::string>{"turnover_level", "care_use_85_plus",
                                                         "personalisation_2025"}));
  ASSERT_EQ(e.parameter_values.size(), 9u);
  for (std::size_t d = 0; d < 3; ++d) {
    const double level = e.parameter_values[d * 3];
    EXPECT_GE(level, 0.78);
    EXPECT_LE(level, 1.14);
  }
  EXPECT_NE(e.parameter_values[0], e.parameter_values[3]);
  // Sampled parameters spread the draws: the last year's 5% and 95%
  // quantiles of headcount differ in most cells.
  const VariableSummary& hc = e.summary("headcount");
  const std::size_t cells = hc.mean.size();
  const std::size_t rs = static_cast<std::size_t>(sc.dims.n_role_sectors());
  int spread = 0;
  for (std::size_t i = cells - rs; i < cells; ++i)
    spread += hc.quantiles[i] < hc.quantiles[4 * cells + i];
  EXPECT_GT(spread, static_cast<int>(rs) / 2);
}

TEST(EnsembleFile, ReadsBackWithDrawsAndMeans) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "e.h5";
  const Scenario sc = load_scenario(kProjection);
  EnsembleOptions o;
  o.draws = 4;
  o.seed = 9;
  const EnsembleResults e = run_ensemble(sc, o);
  write_ensemble_results(e, sc, file);
  const ResultsFile f = read_results_file(file);
  EXPECT_TRUE(f.info.draws_dimension);
  EXPECT_EQ(f.info.draws, 4);
  EXPECT_EQ(f.info.seed, 9u);
  ASSERT_EQ(f.per_draw.size(), core_variable_names().size());
  EXPECT_EQ(f.per_draw[0].values, e.per_draw[0].values);
  // The annual results hold the means.
  EXPECT_EQ(f.results.years[3].headcount[0], e.summary("headcount").mean[3 * 10 + 0]);
  // The summary's medians of identical draws are the single run's figures.
  SummaryOptions so;
  so.year = 2025;
  const auto rows = ensemble_rows(f.results, f.per_draw, 4, so);
  ASSERT_EQ(rows.size(), 1u);
  const auto single = annual_rows(run_scenario(sc), Grouping::total);
  for (const EnsembleStat& s : rows[0].stats) {
    const double expected = single.back().*(s.measure->field);
    EXPECT_NEAR(s.median, expected, 1e-6 * std::abs(expected) + 1e-3) << s.measure->key;
    EXPECT_EQ(s.low, s.high) << s.measure->key;
  }
  EXPECT_THROW((void)write_ensemble_results(e, sc, dir.path() / "e.csv"), UsageError);
}

TEST(EnsembleCli, SummaryShowsMediansAndIntervals) {
  TempDir dir;
  (void)ensemble_file(dir, {"--draws", "3"}, "e.h5");
  const auto r = run_cli({"summary", (dir.path() / "e.h5").string(), "--year", "2025"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 draws: median [90% interval: 5th, 95th percentile] by total"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("2025  2990 [2990, 2990]"), std::string::npos) << r.out;
}

TEST(EnsembleCli, RefusesARunAboveTheMemoryLimitAndWritesNothing) {
  TempDir dir;
  const auto r = run_cli({"run", kProjection, "--draws", "1000", "--max-memory", "10M", "-o",
                          (dir.path() / "e.h5").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("refused: 1000 draws need an estimated"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("above the limit of 10 MiB (--max-memory)"), std::string::npos) << r.err;
  EXPECT_TRUE(dir.files().empty());
}

TEST(EnsembleCli, RefusesAFileAboveTheSizeLimit) {
  TempDir dir;
  const auto r = run_cli({"run", kProjection, "--draws", "1000", "--max-file-size", "1M", "-o",
                          (dir.path() / "e.h5").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("would take an estimated"), std::string::npos) << r.err;
  EXPECT_TRUE(dir.files().empty());
}

TEST(EnsembleCli, BadDrawsSeedThreadsAndSizes) {
  for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--draws", "0"}, "--draws = 0: at least one draw"},
           {{"--draws", "-3"}, "--draws = '-3': expected a whole number >= 0"},
           {{"--seed", "x"}, "--seed = 'x': expected a whole number >= 0"},
           {{"--threads", "-1"}, "--threads = -1: must be >= 0 (0: every core)"},
           {{"--max-memory", "lots"},
            "--max-memory = 'lots': expected a positive size such as 512M, 2G or 1.5GiB"}}) {
    std::vector<std::string> full{"run", kProjection};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = run_cli(full);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace staffsim
