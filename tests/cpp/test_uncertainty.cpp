// The `uncertainty:` block and the `stochastic:` key (DESIGN.md 2.7, 3),
// through load_scenario and draw_scenario on a small real scenario: every
// distribution's sampled parameter against its analytic moments (4 SE) and
// CDF (Kolmogorov-Smirnov, alpha = 0.001) on three seeds; Dirichlet and
// discrete choices; value vs scale, independent vs one value, selections,
// order, reproducibility, `sample:` files, the CSV cache (no file is read
// per draw), threads, merging and --set, and the time of one draw of the
// England scenario. Bad inputs: test_validation_uncertainty.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "staffsim/scenario.hpp"
#include "support/uncertainty_case.hpp"
#include "support/validation_table.hpp"

namespace {

namespace fs = std::filesystem;
using staffsim::draw_scenario;
using staffsim::load_scenario;
using staffsim::Scenario;

const std::string kBase = staffsim::testing::kUncertaintyBase;

const char* const kStock = staffsim::testing::kUncertaintyStock;

// A folder with the base scenario, its stock table and `extra` files; the
// scenario is the base plus `tail` (an uncertainty block, a stochastic key).
class Fixture {
 public:
  Fixture(const std::string& name, const std::string& tail,
          const staffsim::testing::Files& extra = {})
      : dir_("uncertainty", name) {
    write("base.yaml", std::string(kBase) + tail);
    write("stock.csv", kStock);
    for (const auto& [file, text] : extra) write(file, text);
  }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(dir_.path() / file) << text;
  }
  [[nodiscard]] Scenario load(const std::vector<staffsim::Override>& sets = {}) const {
    return load_scenario(dir_.path() / "base.yaml", sets);
  }
  [[nodiscard]] const fs::path& path() const { return dir_.path(); }

 private:
  staffsim::testing::CaseDir dir_;
};

// ---- distributions against their analytic moments and CDFs -----------------

constexpr double kAlpha = 0.001;
constexpr std::array<std::uint64_t, 3> kSeeds = {2718281828, 20240917, 987654321987ULL};
constexpr std::size_t kDraws = 4000;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi); }

// Regularised incomplete beta I_x(a, b) (Numerical Recipes 6.4).
double beta_cdf(double x, double a, double b) {
  if (x <= 0.0 || x >= 1.0) return x <= 0.0 ? 0.0 : 1.0;
  if (x > (a + 1.0) / (a + b + 2.0)) return 1.0 - beta_cdf(1.0 - x, b, a);
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  double c = 1.0;
  double d = 1.0 / (1.0 - (a + b) * x / (a + 1.0));
  double h = d;
  for (int m = 1; m < 10000; ++m) {
    for (int half = 0; half < 2; ++half) {
      const double num = half == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                                   : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1.0 / (1.0 + num * d);
      c = 1.0 + num / c;
      h *= d * c;
    }
    if (std::abs(d * c - 1.0) < 1e-16) break;
  }
  return front * h / a;
}

// P(D > d) for a sample of n (Kolmogorov, Stephens' small-sample factor).
double ks_p_value(double d, std::size_t n) {
  const double sn = std::sqrt(static_cast<double>(n));
  const double lambda = (sn + 0.12 + 0.11 / sn) * d;
  double sum = 0.0;
  for (int j = 1; j <= 100; ++j) {
    sum += (j % 2 == 1 ? 2.0 : -2.0) * std::exp(-2.0 * j * j * lambda * lambda);
  }
  return std::clamp(sum, 0.0, 1.0);
}

struct Analytic {
  const char* name;
  const char* entry;  // the distribution's keys in the entry
  std::function<double(double)> cdf;
  double mean;
  double variance;
};

// kDraws draws of `supply.turnover.base[care_worker,private]` on each seed:
// mean and variance within 4 SE, KS p >= alpha; the draw's reported value
// is the cell's value.
void check_sampled(const Analytic& c) {
  const Fixture fx(std::string("dist_") + c.name,
                   std::string("uncertainty:\n  - name: level\n    path: "
                               "supply.turnover.base[care_worker,private]\n") +
                       c.entry);
  const Scenario base = fx.load();
  for (const std::uint64_t seed : kSeeds) {
    std::vector<double> x;
    for (std::uint64_t d = 0; d < kDraws; ++d) {
      const auto pd = draw_scenario(base, seed, d);
      x.push_back(pd.scenario.turnover.base(0, 0));
      ASSERT_EQ(pd.values.size(), 1U);
      ASSERT_EQ(pd.values[0], x.back());
      ASSERT_EQ(pd.scenario.turnover.base(1, 1), 0.2);  // not selected
    }
    const auto n = static_cast<double>(kDraws);
    double mean = 0.0;
    for (const double v : x) mean += v / n;
    double m2 = 0.0;
    double m4 = 0.0;
    for (const double v : x) {
      const double e = (v - mean) * (v - mean);
      m2 += e / n;
      m4 += e * e / n;
    }
    EXPECT_LE(std::abs(mean - c.mean), 4.0 * std::sqrt(c.variance / n)) << c.name << " " << seed;
    EXPECT_LE(std::abs(m2 - c.variance), 4.0 * std::sqrt((m4 - m2 * m2) / n))
        << c.name << " " << seed;
    std::sort(x.begin(), x.end());
    double dmax = 0.0;
    for (std::size_t i = 0; i < kDraws; ++i) {
      const double f = c.cdf(x[i]);
      dmax = std::max({dmax, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
    }
    const double p = ks_p_value(dmax, kDraws);
    std::printf("KS %-12s seed %-12llu D = %.5f  p = %.3f\n", c.name,
                static_cast<unsigned long long>(seed), dmax, p);
    EXPECT_GE(p, kAlpha) << c.name << " seed " << seed << " D " << dmax;
  }
}

TEST(UncertaintyDistributions, TruncatedNormal) {
  const double mu = 0.3;
  const double sd = 0.2;
  const double lo = 0.1;
  const double hi = 0.8;
  const double a = (lo - mu) / sd;
  const double b = (hi - mu) / sd;
  const double z = normal_cdf(b) - normal_cdf(a);
  const double m = (normal_pdf(a) - normal_pdf(b)) / z;
  const double var = sd * sd * (1.0 + (a * normal_pdf(a) - b * normal_pdf(b)) / z - m * m);
  check_sampled({"truncnormal",
                 "    distribution: normal\n    mean: 0.3\n    sd: 0.2\n    lower: 0.1\n    upper: "
                 "0.8\n",
                 [=](double x) { return (normal_cdf((x - mu) / sd) - normal_cdf(a)) / z; },
                 mu + sd * m, var});
}

TEST(UncertaintyDistributions, Lognormal) {
  const double mu = -1.5;
  const double s = 0.4;
  check_sampled({"lognormal", "    distribution: lognormal\n    mu: -1.5\n    sigma: 0.4\n",
                 [=](double x) { return normal_cdf((std::log(x) - mu) / s); },
                 std::exp(mu + s * s / 2), (std::exp(s * s) - 1.0) * std::exp(2 * mu + s * s)});
}

TEST(UncertaintyDistributions, Uniform) {
  check_sampled({"uniform", "    distribution: uniform\n    lower: 0.1\n    upper: 0.5\n",
                 [](double x) { return std::clamp((x - 0.1) / 0.4, 0.0, 1.0); }, 0.3,
                 0.4 * 0.4 / 12});
}

TEST(UncertaintyDistributions, Triangular) {
  const double a = 0.1;
  const double c = 0.2;
  const double b = 0.5;
  check_sampled({"triangular",
                 "    distribution: triangular\n    lower: 0.1\n    peak: 0.2\n    upper: 0.5\n",
                 [=](double x) {
                   if (x <= a) return 0.0;
                   if (x >= b) return 1.0;
                   return x <= c ? (x - a) * (x - a) / ((b - a) * (c - a))
                                 : 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
                 },
                 (a + b + c) / 3, (a * a + b * b + c * c - a * b - a * c - b * c) / 18});
}

TEST(UncertaintyDistributions, BetaRescaled) {
  // Beta(2, 5) on [0.1, 0.6].
  const double lo = 0.1;
  const double w = 0.5;
  check_sampled({"beta",
                 "    distribution: beta\n    a: 2\n    b: 5\n    lower: 0.1\n    upper: 0.6\n",
                 [=](double x) { return beta_cdf((x - lo) / w, 2, 5); }, lo + w * 2.0 / 7.0,
                 w * w * 10.0 / (49.0 * 8.0)});
}

// Dirichlet on a table row: components sum to 1 and have means alpha_i / sum.
TEST(UncertaintyDistributions, DirichletSharesSumToOneWithTheRightMeans) {
  const Fixture fx("dirichlet", R"(uncertainty:
  - name: agency
    path: costs.agency_share[care_worker,*]
    distribution: dirichlet
    alpha: [2, 6]
)");
  const Scenario base = fx.load();
  for (const std::uint64_t seed : kSeeds) {
    double m0 = 0.0;
    for (std::uint64_t d = 0; d < kDraws; ++d) {
      const auto pd = draw_scenario(base, seed, d);
      const auto& s = pd.scenario.costs.agency_share;
      ASSERT_NEAR(s(0, 0) + s(0, 1), 1.0, 1e-12);
      ASSERT_EQ(s(1, 1), 0.3);
      ASSERT_TRUE(std::isnan(pd.values[0]));
      m0 += s(0, 0) / kDraws;
    }
    // Beta(2, 6): mean 0.25, variance 12 / (64 * 9).
    EXPECT_LE(std::abs(m0 - 0.25), 4.0 * std::sqrt(12.0 / (64.0 * 9.0) / kDraws)) << seed;
  }
}

// Discrete choices: frequencies within 4 SE; the reported value is the index.
TEST(UncertaintyDistributions, DiscreteFrequencies) {
  const Fixture fx("discrete", R"(uncertainty:
  - path: supply.turnover.base[care_worker,private]
    distribution: discrete
    values: [0.1, 0.2, 0.4]
    weights: [0.2, 0.3, 0.5]
)");
  const Scenario base = fx.load();
  const std::array<double, 3> w{0.2, 0.3, 0.5};
  const std::array<double, 3> v{0.1, 0.2, 0.4};
  for (const std::uint64_t seed : kSeeds) {
    std::array<double, 3> count{};
    for (std::uint64_t d = 0; d < kDraws; ++d) {
      const auto pd = draw_scenario(base, seed, d);
      const auto i = static_cast<std::size_t>(pd.values[0]);
      ASSERT_LT(i, 3U);
      ASSERT_EQ(pd.scenario.turnover.base(0, 0), v[i]);
      count[i] += 1.0;
    }
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_LE(std::abs(count[i] / kDraws - w[i]), 4.0 * std::sqrt(w[i] * (1 - w[i]) / kDraws))
          << seed << " " << i;
    }
  }
}

// ---- how entries apply ----------------------------------------------------

TEST(UncertaintyApply, ValueReplacesScaleMultiplies) {
  const Fixture fx("value_scale", R"(uncertainty:
  - name: set
    path: supply.turnover.base[care_worker,council]
    distribution: uniform
    lower: 0.1
    upper: 0.5
  - name: times
    path: supply.turnover.base[care_worker,private]
    distribution: uniform
    lower: 0.5
    upper: 1.5
    mode: scale
)");
  const Scenario base = fx.load();
  EXPECT_EQ(base.turnover.base(0, 0), 0.3);
  for (std::uint64_t d = 0; d < 20; ++d) {
    const auto pd = draw_scenario(base, 7, d);
    EXPECT_EQ(pd.scenario.turnover.base(0, 1), pd.values[0]);
    EXPECT_DOUBLE_EQ(pd.scenario.turnover.base(0, 0), 0.3 * pd.values[1]);
    EXPECT_EQ(pd.scenario.turnover.base(1, 0), 0.2);
    EXPECT_EQ(pd.scenario.turnover.base(1, 1), 0.2);
  }
}

TEST(UncertaintyApply, IndependentElementsDifferOneValueElementsAgree) {
  const Fixture fx("independent", R"(uncertainty:
  - name: together
    path: supply.turnover.base[care_worker,*]
    distribution: uniform
    lower: 0.1
    upper: 0.5
  - name: apart
    path: supply.turnover.base[senior,*]
    distribution: uniform
    lower: 0.1
    upper: 0.5
    independent: true
)");
  const Scenario base = fx.load();
  for (std::uint64_t d = 0; d < 10; ++d) {
    const auto pd = draw_scenario(base, 1, d);
    const auto& b = pd.scenario.turnover.base;
    EXPECT_EQ(b(0, 0), b(0, 1));
    EXPECT_EQ(b(0, 0), pd.values[0]);
    EXPECT_NE(b(1, 0), b(1, 1));
    EXPECT_TRUE(std::isnan(pd.values[1]));
  }
}

TEST(UncertaintyApply, EntriesApplyInOrder) {
  const std::string set = R"(
  - name: set
    path: supply.turnover.base[senior,council]
    distribution: discrete
    values: [0.5]
)";
  const std::string twice = R"(
  - name: twice
    sample: twice.csv
    mode: scale
    assumed: "doubles whatever is there when it applies"
)";
  const staffsim::testing::Files files{{"twice.csv", "\"supply.turnover.base[senior,*]\"\n2\n"}};
  const Scenario a = Fixture("order_a", "uncertainty:" + set + twice, files).load();
  const Scenario b = Fixture("order_b", "uncertainty:" + twice + set, files).load();
  const auto pa = draw_scenario(a, 1, 0).scenario.turnover.base;
  const auto pb = draw_scenario(b, 1, 0).scenario.turnover.base;
  EXPECT_EQ(pa(1, 1), 1.0);  // set to 0.5, then doubled
  EXPECT_EQ(pb(1, 1), 0.5);  // doubled, then set
  EXPECT_EQ(pa(1, 0), 0.4);
  EXPECT_EQ(pb(1, 0), 0.4);
}

TEST(UncertaintyApply, RenormaliseKeepsTheTotal) {
  const Fixture fx("renormalise", R"(uncertainty:
  - name: agency
    path: costs.agency_share[*,council]
    distribution: uniform
    lower: 0.5
    upper: 1.5
    mode: scale
    independent: true
    renormalise: true
)");
  const Scenario base = fx.load();
  const double total = base.costs.agency_share(0, 1) + base.costs.agency_share(1, 1);
  for (std::uint64_t d = 0; d < 10; ++d) {
    const auto s = draw_scenario(base, 3, d).scenario.costs.agency_share;
    EXPECT_NEAR(s(0, 1) + s(1, 1), total, 1e-15);
    EXPECT_NE(s(0, 1) / s(1, 1), 0.1 / 0.3);
    EXPECT_EQ(s(0, 0), 0.1);
  }
}

// Plain numbers: a named list item's key and a lever's path value.
TEST(UncertaintyApply, ScalarParameters) {
  const Fixture fx("scalars", R"(uncertainty:
  - name: cap
    path: supply.recruitment.sources[school].cap
    distribution: normal
    mean: 40
    sd: 5
    lower: 0
  - name: retention
    path: levers.keep.path.to_value
    distribution: uniform
    lower: 0.7
    upper: 0.9
)");
  const Scenario base = fx.load();
  EXPECT_EQ(staffsim::uncertain_parameter_names(base),
            (std::vector<std::string>{"cap", "retention"}));
  EXPECT_EQ(staffsim::max_draws(base), UINT64_MAX);
  for (std::uint64_t d = 0; d < 10; ++d) {
    const auto pd = draw_scenario(base, 11, d);
    ASSERT_TRUE(pd.scenario.sources[0].cap.has_value());
    EXPECT_EQ(*pd.scenario.sources[0].cap, pd.values[0]);
    EXPECT_EQ(pd.scenario.levers[0].path.to_value, pd.values[1]);
    EXPECT_GE(pd.values[1], 0.7);
    EXPECT_LE(pd.values[1], 0.9);
  }
}

TEST(UncertaintyApply, SameSeedAndDrawSameScenarioOtherDrawsDiffer) {
  const Fixture fx("reproducible", R"(uncertainty:
  - path: supply.turnover.base[*,*]
    distribution: lognormal
    mu: -1.6
    sigma: 0.3
    independent: true
)");
  const Scenario base = fx.load();
  EXPECT_EQ(staffsim::uncertain_parameter_names(base),
            (std::vector<std::string>{"supply.turnover.base[*,*]"}));
  const auto a = draw_scenario(base, 42, 5).scenario.turnover.base;
  const auto b = draw_scenario(base, 42, 5).scenario.turnover.base;
  const auto c = draw_scenario(base, 42, 6).scenario.turnover.base;
  const auto d = draw_scenario(base, 43, 5).scenario.turnover.base;
  EXPECT_TRUE((a == b).all());
  EXPECT_TRUE((a != c).all());
  EXPECT_TRUE((a != d).all());
  // The draw keeps the base's provenance.
  const auto pd = draw_scenario(base, 42, 5);
  EXPECT_EQ(pd.scenario.name, base.name);
  EXPECT_EQ(pd.scenario.resolved_yaml, base.resolved_yaml);
  EXPECT_EQ(pd.scenario.input_sha256, base.input_sha256);
  EXPECT_NO_THROW(pd.scenario.check());
}

// Draws on several threads at once equal the same draws in sequence.
TEST(UncertaintyApply, ThreadsGiveTheSameDraws) {
  const Fixture fx("threads", R"(uncertainty:
  - path: supply.turnover.base[*,*]
    distribution: uniform
    lower: 0.1
    upper: 0.3
    independent: true
)");
  const Scenario base = fx.load();
  constexpr int kThreads = 4;
  constexpr int kPer = 25;
  std::vector<std::vector<double>> got(kThreads * kPer);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) {
        const auto d = static_cast<std::uint64_t>(t * kPer + i);
        const auto b = draw_scenario(base, 9, d).scenario.turnover.base;
        got[d].assign(b.data(), b.data() + b.size());
      }
    });
  }
  for (auto& th : pool) th.join();
  for (std::uint64_t d = 0; d < kThreads * kPer; ++d) {
    const auto b = draw_scenario(base, 9, d).scenario.turnover.base;
    EXPECT_EQ(got[d], std::vector<double>(b.data(), b.data() + b.size())) << d;
  }
}

// ---- sample files, file choices, the cache ----------------------------------

TEST(UncertaintySample, RowDIsAppliedAtDrawD) {
  const Fixture fx("sample",
                   R"(uncertainty:
  - name: posterior
    sample: posterior.csv
  - name: scaled
    sample: factors.csv
    mode: scale
)",
                   {{"posterior.csv",
                     "draw,\"supply.turnover.base[care_worker,private]\",supply.recruitment."
                     "sources[school].cap\n0,0.25,30\n1,0.35,45\n2,0.15,50\n"},
                    {"factors.csv", "\"costs.pay[*,*]\"\n1.1\n0.9\n1.0\n1.2\n"}});
  const Scenario base = fx.load();
  EXPECT_EQ(staffsim::max_draws(base), 3U);
  const std::array<double, 3> level{0.25, 0.35, 0.15};
  const std::array<double, 3> cap{30, 45, 50};
  const std::array<double, 3> pay{1.1, 0.9, 1.0};
  for (std::uint64_t d = 0; d < 3; ++d) {
    const auto pd = draw_scenario(base, 1, d);
    EXPECT_EQ(pd.scenario.turnover.base(0, 0), level[d]);
    EXPECT_EQ(*pd.scenario.sources[0].cap, cap[d]);
    EXPECT_DOUBLE_EQ(pd.scenario.costs.pay(1, 1), 18000 * pay[d]);
    EXPECT_TRUE(std::isnan(pd.values[0]));  // two columns
    EXPECT_EQ(pd.values[1], pay[d]);        // one column: its value
  }
  try {
    (void)draw_scenario(base, 1, 3);
    ADD_FAILURE() << "draw 3 of a 3-row sample";
  } catch (const staffsim::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("draw 3: uncertainty[posterior] has 3 rows"),
              std::string::npos)
        << e.what();
  }
}

// A sampled value that breaks a rule fails its draw, naming draw and entry.
TEST(UncertaintySample, ABadRowFailsItsDrawNamingTheEntry) {
  const Fixture fx("sample_bad", R"(uncertainty:
  - name: fine
    path: costs.pay[*,*]
    distribution: uniform
    lower: 0.9
    upper: 1.1
    mode: scale
  - name: posterior
    sample: posterior.csv
)",
                   {{"posterior.csv", "\"supply.turnover.base[senior,private]\"\n0.2\n-0.1\n"}});
  const Scenario base = fx.load();
  EXPECT_NO_THROW((void)draw_scenario(base, 1, 0));
  try {
    (void)draw_scenario(base, 1, 1);
    ADD_FAILURE() << "a negative hazard was accepted";
  } catch (const staffsim::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("supply.turnover.base[senior,private] = -0.1: a hazard "
                                         "rate must be >= 0 (draw 1 of uncertainty[posterior])"),
              std::string::npos)
        << e.what();
  }
}

// Discrete choices of CSV tables; once loaded, no file is read: the draws
// work with every CSV deleted.
TEST(UncertaintySample, FileChoicesComeFromTheCache) {
  const Fixture fx("file_choice", "",
                   {{"low.csv", "role,sector,value\nsenior,council,0.05\n"},
                    {"high.csv", "role,sector,value\nsenior,council,0.5\n"}});
  fx.write("base.yaml", std::string(kBase).replace(std::string(kBase).find("default: 0.2"), 12,
                                                   "default: 0.2\n      table: low.csv") +
                            R"(uncertainty:
  - name: table
    path: supply.turnover.base.table
    distribution: discrete
    values: [low.csv, high.csv]
)");
  const Scenario base = fx.load();
  std::vector<std::string> files;
  for (const auto& [file, digest] : base.input_sha256)
    files.push_back(fs::path(file).filename().string());
  EXPECT_NE(std::find(files.begin(), files.end(), "high.csv"), files.end());
  for (const char* f : {"low.csv", "high.csv", "stock.csv"}) fs::remove(fx.path() / f);
  std::array<int, 2> seen{};
  for (std::uint64_t d = 0; d < 40; ++d) {
    const auto pd = draw_scenario(base, 5, d);
    const auto i = static_cast<std::size_t>(pd.values[0]);
    EXPECT_EQ(pd.scenario.turnover.base(1, 1), i == 0 ? 0.05 : 0.5);
    ++seen[i];
  }
  EXPECT_GT(seen[0], 0);
  EXPECT_GT(seen[1], 0);
}

// ---- the keys in the scenario ---------------------------------------------

TEST(UncertaintyKeys, StochasticIsReadAndDefaultsToFalse) {
  EXPECT_FALSE(Fixture("stochastic_default", "").load().stochastic);
  EXPECT_TRUE(Fixture("stochastic_true", "stochastic: true\n").load().stochastic);
  EXPECT_FALSE(Fixture("stochastic_false", "stochastic: false\n").load().stochastic);
  const Scenario none = Fixture("no_block", "").load();
  EXPECT_EQ(none.uncertainty, nullptr);
  const auto pd = draw_scenario(none, 1, 2);
  EXPECT_TRUE(pd.values.empty());
  EXPECT_TRUE((pd.scenario.turnover.base == none.turnover.base).all());
}

// A child's entries merge by name into the parent's; --set reaches them;
// `show` prints the block.
TEST(UncertaintyKeys, EntriesMergeByNameAndTakeSetOverrides) {
  const Fixture fx("merge", R"(uncertainty:
  - name: level
    path: supply.turnover.base[care_worker,*]
    distribution: uniform
    lower: 0.1
    upper: 0.2
  - name: cap
    path: supply.recruitment.sources[school].cap
    distribution: uniform
    lower: 10
    upper: 20
)");
  fx.write("child.yaml", R"(staffsim_scenario: 1
extends: base.yaml
uncertainty:
  - name: level
    lower: 0.3
    upper: 0.4
  - name: cap
    remove: true
)");
  const Scenario child = load_scenario(fx.path() / "child.yaml");
  ASSERT_EQ(staffsim::uncertain_parameter_names(child), std::vector<std::string>{"level"});
  for (std::uint64_t d = 0; d < 10; ++d) {
    const double v = draw_scenario(child, 1, d).values[0];
    EXPECT_GE(v, 0.3);
    EXPECT_LE(v, 0.4);
  }
  const Scenario set = fx.load({{"uncertainty[cap].upper", "11"}});
  for (std::uint64_t d = 0; d < 10; ++d) EXPECT_LE(draw_scenario(set, 1, d).values[1], 11.0);
  const std::string shown = staffsim::show_scenario(fx.path() / "child.yaml");
  EXPECT_NE(shown.find("uncertainty:"), std::string::npos) << shown;
  EXPECT_NE(shown.find("name: level"), std::string::npos) << shown;
}

// ---- speed ------------------------------------------------------------------

// One draw of the England scenario with two entries (a scaled turnover row,
// a Dirichlet service mix): the time is printed for the record.
TEST(UncertaintySpeed, EnglandBaselineDraw) {
  const staffsim::testing::CaseDir dir("uncertainty", "speed");
  const fs::path england = fs::path(STAFFSIM_SOURCE_DIR) / "scenarios/england_2025/baseline.yaml";
  std::ofstream(dir.path() / "unc.yaml")
      << "staffsim_scenario: 1\nextends: " << england.string() << R"(
uncertainty:
  - name: turnover_level
    path: supply.turnover.base[*,private]
    distribution: normal
    mean: 1.0
    sd: 0.1
    lower: 0.5
    mode: scale
  - name: older_mix
    path: demand.mix[older_people,*]
    distribution: dirichlet
    alpha: [14, 7, 36, 10, 4, 29]
)";
  const Scenario base = load_scenario(dir.path() / "unc.yaml");
  // The Dirichlet row of the service mix (a label table) sums to 1; the
  // other row is untouched; private turnover is scaled.
  const auto first = draw_scenario(base, 1, 0);
  const auto& mix = first.scenario.demand.need.mix;
  EXPECT_NEAR(mix.row(0).sum(), 1.0, 1e-12);
  EXPECT_FALSE((mix.row(0) == base.demand.need.mix.row(0)).all());
  EXPECT_TRUE((mix.row(1) == base.demand.need.mix.row(1)).all());
  EXPECT_NEAR(first.scenario.turnover.base(0, 1) / base.turnover.base(0, 1), first.values[0],
              1e-12);
  constexpr int kN = 50;
  const auto t0 = std::chrono::steady_clock::now();
  for (int d = 0; d < kN; ++d) (void)draw_scenario(base, 1, static_cast<std::uint64_t>(d));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / kN;
  std::printf("draw_scenario, England baseline, two entries: %.3f ms a draw\n", ms);
  RecordProperty("ms_per_draw", std::to_string(ms));
  EXPECT_LT(ms, 1000.0);
}

}  // namespace
