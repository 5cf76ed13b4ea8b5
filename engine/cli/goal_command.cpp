// `staffsim goal` (docs/goal-seeking.md): the lever value that meets a
// target, or word that none in the lever's range does. Exit 0 either way
// (the output says which); 2 for a request that does not fit the scenario.
#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/goal.hpp"

namespace po = boost::program_options;

namespace staffsim::cli {

namespace {

// A finite number, or a UsageError naming the option.
double parse_number(const std::string& option, const std::string& text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    throw UsageError("--" + option + " = '" + text + "': expected a finite number");
  }
  return value;
}

std::optional<double> optional_number(const po::variables_map& vm, const std::string& option) {
  if (vm.count(option) == 0) return std::nullopt;
  return parse_number(option, vm[option].as<std::string>());
}

}  // namespace

int goal_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "staffsim goal SCENARIO.yaml --lever NAME --target \"INDICATOR[YEAR] <= VALUE\" [options]");
  std::string scenario_path;
  std::string target_text;
  std::string format = "table";
  std::vector<std::string> sets;
  GoalOptions o;
  opts.add_options()("scenario", po::value(&scenario_path)->required(), "scenario file")(
      "lever", po::value(&o.lever)->required(), "the lever instance to change")(
      "target", po::value(&target_text)->required(),
      "e.g. \"vacancy_rate[2025] <= 0.05\" (<=, >= or ==)")(
      "lower", po::value<std::string>(),
      "lowest lever value to search (default: domain or practical)")(
      "upper", po::value<std::string>(), "highest lever value to search")(
      "tolerance", po::value<std::string>(), "on the lever, a fraction of the range (1e-6)")(
      "max-evaluations", po::value(&o.max_evaluations), "model runs at most (default 100)")(
      "set", po::value(&sets)->composing(), "override a parameter: path=value (repeatable)")(
      "format", po::value(&format), "table (default) or json");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse(args, opts, pos);
  if (format != "table" && format != "json") {
    throw UsageError("--format = '" + format + "': expected table or json");
  }
  o.lower = optional_number(vm, "lower");
  o.upper = optional_number(vm, "upper");
  if (const auto t = optional_number(vm, "tolerance")) o.tolerance = *t;
  const GoalTarget target = parse_goal_target(target_text);

  const Scenario sc = load_scenario(scenario_path, parse_sets(sets));
  print_warnings(sc);
  const GoalResult result = seek_goal(sc, target, o);
  std::cout << (format == "json" ? format_goal_json(result) : format_goal(result));
  return 0;
}

}  // namespace staffsim::cli
