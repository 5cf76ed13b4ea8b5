#include "io/results_layout.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <numeric>

#include "io/results_variables.hpp"
#include "staffsim/errors.hpp"

#ifndef STAFFSIM_GIT_SHA
#define STAFFSIM_GIT_SHA "unknown"
#endif

namespace staffsim::io {

namespace {

// ISO 8601 UTC time of the file: SOURCE_DATE_EPOCH when set (reproducible
// builds' convention, so two runs can give identical bytes), else now.
std::string created_utc() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    const std::string text = epoch;
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) {
      throw UsageError("SOURCE_DATE_EPOCH='" + text +
                       "' is not a whole number of seconds since 1970-01-01");
    }
    t = static_cast<std::time_t>(seconds);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace

RunIdentity run_identity(const EnsembleResults& e) {
  return RunIdentity{e.seed, e.draws, e.stochastic, e.shortfall_threshold};
}

std::vector<Attribute> root_attributes(const Results& results, const Scenario& sc,
                                       const RunIdentity& run) {
  std::vector<Attribute> a{
      {"filetype", std::string(kFiletype)},
      {"format_version", std::string(kFormatVersion)},
      {"staffsim_version", std::string(STAFFSIM_VERSION)},
      {"git_sha", std::string(STAFFSIM_GIT_SHA)},
      {"created_utc", created_utc()},
      {"seed", run.seed},
      {"draws", static_cast<std::int32_t>(run.draws)},
      {"stochastic", std::int32_t{run.stochastic ? 1 : 0}},
      {"scenario_name", sc.name},
      {"scenario_description", sc.description},
      {"steps_per_year", static_cast<std::int32_t>(sc.time.steps_per_year)},
      {"min_age", static_cast<std::int32_t>(results.dims.min_age)},
      {"max_age", static_cast<std::int32_t>(results.dims.max_age)},
      {"price_base_year", static_cast<std::int32_t>(results.price_base_year)},
      {"coverage", sc.demand.coverage},
      {"posts_by_construction", std::int32_t{results.posts_by_construction ? 1 : 0}},
      {"posts_by_construction_note",
       std::string(results.posts_by_construction
                       ? "posts follow an index: a growth target reproduced through the index "
                         "holds by construction, not as a finding"
                       : "posts are not an index: they are an input or follow need")}};
  if (run.shortfall_threshold) a.push_back({"shortfall_threshold", *run.shortfall_threshold});
  return a;
}

std::vector<Coordinate> ensemble_coordinates(const EnsembleResults& e) {
  std::vector<Coordinate> out;
  Coordinate draw{"draw", "1", "Monte Carlo draw (its random streams are keyed by seed and draw)",
                  {},     {},  {}};
  draw.ints.resize(static_cast<std::size_t>(e.draws));
  std::iota(draw.ints.begin(), draw.ints.end(), static_cast<std::int32_t>(e.first_draw));
  out.push_back(std::move(draw));
  out.push_back(Coordinate{"quantile",
                           "1",
                           "quantile level over the draws (Hyndman-Fan type 7)",
                           {},
                           e.quantile_levels,
                           {}});
  if (!e.parameter_names.empty()) {
    out.push_back(Coordinate{"parameter",
                             "1",
                             "uncertain parameter (an entry of the scenario's uncertainty block)",
                             {},
                             {},
                             e.parameter_names});
  }
  return out;
}

void for_each_ensemble_variable(const EnsembleResults& e,
                                const std::function<void(const EnsembleVariable&)>& sink) {
  for (const DrawVariable& v : e.per_draw) {
    std::vector<std::string> dims{"draw"};
    dims.insert(dims.end(), v.dims.begin(), v.dims.end());
    sink(EnsembleVariable{v.name, dims, v.units, v.long_name + " (per draw)", v.values, {}, {}});
  }
  for (const VariableSummary& s : e.summaries) {
    std::vector<std::string> qdims{"quantile"};
    qdims.insert(qdims.end(), s.dims.begin(), s.dims.end());
    sink(EnsembleVariable{s.name + "_q",
                          qdims,
                          s.units,
                          s.long_name + ": quantiles over draws",
                          {},
                          s.quantiles,
                          {}});
    sink(EnsembleVariable{
        s.name + "_mean", s.dims, s.units, s.long_name + ": mean over draws", {}, s.mean, {}});
    sink(EnsembleVariable{s.name + "_mean_se",
                          s.dims,
                          s.units,
                          s.long_name + ": Monte Carlo standard error of the mean",
                          {},
                          s.mean_se,
                          {}});
  }
  for (const ProbabilityVariable& p : e.probabilities) {
    sink(EnsembleVariable{p.name, p.dims, "1", p.long_name, {}, p.values, e.shortfall_threshold});
  }
  if (!e.parameter_names.empty()) {
    sink(EnsembleVariable{"parameter_value",
                          {"draw", "parameter"},
                          "1",
                          "sampled value of each uncertain parameter (the choice's index for a "
                          "discrete one; NaN when it has one value per element)",
                          {},
                          e.parameter_values,
                          {}});
  }
}

}  // namespace staffsim::io
