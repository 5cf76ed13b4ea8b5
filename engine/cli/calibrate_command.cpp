// `staffsim calibrate` and `staffsim crossval`: fit a scenario's free
// parameters to its `calibration:` targets, print the report, and write the
// calibrated scenario (a file that `extends:` the input) and, for ABC, the
// posterior sample it draws from. The work is in the library
// (staffsim/calibration.hpp); this file parses options and writes files.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "staffsim/calibration.hpp"
#include "staffsim/errors.hpp"

namespace po = boost::program_options;

namespace staffsim::cli {

namespace {

std::vector<std::string> split_list(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::string cur;
    for (const char c : item + ",") {
      if (c == ',') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
  }
  return out;
}

struct FitArgs {
  std::string scenario;
  std::vector<std::string> sets;
  std::string method = "least_squares";
  std::vector<std::string> tables;
  std::string format = "table";
  int max_evaluations = 400;
  std::uint64_t draws = 20000;
  std::uint64_t accept = 200;
  std::uint64_t seed = 1;
  int threads = 0;
};

void add_fit_options(po::options_description& opts, FitArgs& a) {
  opts.add_options()("scenario", po::value(&a.scenario)->required(), "scenario file")(
      "set", po::value(&a.sets)->composing(), "override path=value (repeatable)")(
      "method", po::value(&a.method), "least_squares (default) or abc")(
      "format", po::value(&a.format), "table (default) or json")(
      "max-evaluations", po::value(&a.max_evaluations), "least squares: model runs at most")(
      "draws", po::value(&a.draws), "abc: the budget of model runs (default 20000)")(
      "accept", po::value(&a.accept),
      "abc: the population size, and the posterior's rows (default 200)")(
      "seed", po::value(&a.seed), "abc: seed of the draws (default 1)")(
      "threads", po::value(&a.threads), "abc: threads (default: all cores)");
}

CalibrationOptions options_of(const FitArgs& a) {
  CalibrationOptions o;
  if (a.method == "least_squares" || a.method == "lm") {
    o.method = CalibrationMethod::least_squares;
  } else if (a.method == "abc") {
    o.method = CalibrationMethod::abc;
  } else {
    throw UsageError("--method = '" + a.method + "': one of least_squares, abc");
  }
  if (a.format != "table" && a.format != "json") {
    throw UsageError("--format = '" + a.format + "': one of table, json");
  }
  if (a.max_evaluations < 1) {
    throw UsageError("--max-evaluations = " + std::to_string(a.max_evaluations) + ": must be >= 1");
  }
  if (a.threads < 0) throw UsageError("--threads must be >= 0");
  o.fit_tables = split_list(a.tables);
  o.max_evaluations = a.max_evaluations;
  o.abc_draws = a.draws;
  o.abc_accept = a.accept;
  o.seed = a.seed;
  o.threads = a.threads;
  return o;
}

void print_fit(const CalibrationResult& fit, const std::string& format, const std::string& title) {
  if (format == "json") {
    std::cout << calibration_report_json(fit);
  } else {
    std::cout << title << "\n" << format_calibration_report(fit);
  }
}

}  // namespace

int calibrate_command(const std::vector<std::string>& args) {
  FitArgs a;
  std::string output;
  std::string posterior;
  po::options_description opts("calibrate options");
  add_fit_options(opts, a);
  opts.add_options()("output,o", po::value(&output), "write the calibrated scenario here")(
      "fit-tables", po::value(&a.tables)->composing(),
      "fit only the targets of these tables (comma separated)")(
      "posterior", po::value(&posterior),
      "abc: write the posterior sample here (default: beside -o, NAME_posterior.csv)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  (void)parse(args, opts, pos);
  const CalibrationOptions o = options_of(a);
  if (!posterior.empty() && o.method != CalibrationMethod::abc) {
    throw UsageError("--posterior: only the abc method has a posterior sample");
  }
  const std::filesystem::path out_path(output);
  if (!output.empty() && std::filesystem::weakly_canonical(out_path) ==
                             std::filesystem::weakly_canonical(a.scenario)) {
    throw UsageError("-o " + output +
                     ": the calibrated scenario extends the input, so it cannot "
                     "replace it; write it to another file");
  }
  const std::vector<Override> sets = parse_sets(a.sets);
  const Scenario sc = load_scenario(a.scenario, sets);
  print_warnings(sc);
  const CalibrationResult fit = calibrate(sc, o);
  print_fit(fit, a.format, "calibrating " + a.scenario);
  if (output.empty()) return 0;
  std::filesystem::path post;
  if (o.method == CalibrationMethod::abc) {
    post = posterior.empty()
               ? out_path.parent_path() / (out_path.stem().string() + "_posterior.csv")
               : std::filesystem::path(posterior);
    write_posterior_csv(sc, fit, post);
  }
  write_calibrated_scenario(sc, fit, out_path, post, sets);
  std::cerr << "wrote " << output << (post.empty() ? "" : " and " + post.generic_string()) << "\n";
  return 0;
}

int crossval_command(const std::vector<std::string>& args) {
  FitArgs a;
  po::options_description opts("crossval options");
  add_fit_options(opts, a);
  opts.add_options()("fit", po::value(&a.tables)->composing(),
                     "the tables to fit (comma separated); the others are predicted");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  (void)parse(args, opts, pos);
  const CalibrationOptions o = options_of(a);
  const Scenario sc = load_scenario(a.scenario, parse_sets(a.sets));
  print_warnings(sc);
  const CalibrationResult fit = cross_validate(sc, o.fit_tables, o);
  std::string fitted;
  for (const auto& t : o.fit_tables) fitted += (fitted.empty() ? "" : ", ") + t;
  print_fit(fit, a.format,
            "cross-validation of " + a.scenario + ": fitted on " + fitted +
                "; the other tables are predicted");
  return 0;
}

}  // namespace staffsim::cli
