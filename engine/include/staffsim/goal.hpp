#pragma once
// Goal seeking (docs/goal-seeking.md): the value of one lever at which an
// indicator meets a target, e.g. "retention_all such that
// vacancy_rate[2025] <= 0.05", or word that no value in the lever's range
// meets it.
//
// The lever value is the value the lever's path reaches: `to_value` of a
// linear, step or logistic path (its years, shape and from_value are kept),
// or the value of a constant path. A year-table path of several entries is
// refused: there is no one value to change.
//
// The search runs the scenario's deterministic central case: process noise
// off and no uncertainty draws (each parameter at its scenario value). The
// result says so in its notes when the scenario has either.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "staffsim/indicator_query.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

// `==` holds when the indicator is within 1e-6 * max(1, |value|) of the value.
struct GoalTarget {
  enum class Op { at_most, at_least, equal };  // <=, >=, ==
  IndicatorQuery query;
  Op op = Op::at_most;
  double value = 0.0;

  // Canonical text: `vacancy_rate[2025] <= 0.05`.
  [[nodiscard]] std::string text() const;
};

// "<=", ">=" or "==".
[[nodiscard]] const char* to_string(GoalTarget::Op op);

// Parses `indicator[year, ...] <= value` (or >=, ==). UsageError naming the
// text and the rule.
[[nodiscard]] GoalTarget parse_goal_target(std::string_view text);

struct GoalOptions {
  std::string lever;            // the lever instance to change
  std::optional<double> lower;  // default: the domain's bound or a practical one
  std::optional<double> upper;
  double tolerance = 1e-6;    // on the lever, relative to the searched range
  int scan_points = 17;       // evenly spaced over the range, plus the current value
  int max_evaluations = 100;  // runs of the scenario, the scan included
};

// Where one end of the searched range comes from.
enum class RangeBasis {
  domain,     // the lever type's domain (DESIGN.md 2.5), e.g. 0 or 1 of a share
  practical,  // a stated default where the domain is open-ended (a factor > 0)
  user,       // GoalOptions::lower / upper
};
[[nodiscard]] const char* to_string(RangeBasis basis);

struct GoalScanPoint {
  double lever_value = 0.0;
  double indicator_value = 0.0;  // NaN when the selection is empty
  bool meets = false;
};

struct GoalResult {
  std::string scenario;
  GoalTarget target;
  std::string lever;
  std::string lever_type;  // "retention", ...
  std::string path_text;   // what the lever value is, e.g. "to_value of its linear path ..."
  bool met = false;
  bool no_change_needed = false;  // the current value already meets the target
  // Met: the value nearest the current one at which the target holds (for <=
  // and >=, the edge of the region where it holds, on its side, to the
  // tolerance). Not met: the value that comes closest.
  double value = 0.0;
  double indicator_value = 0.0;
  double current_value = 0.0;
  double current_indicator_value = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  RangeBasis lower_basis = RangeBasis::domain;
  RangeBasis upper_basis = RangeBasis::domain;
  std::string range_text;  // the range and where its ends come from, in words
  double tolerance = 0.0;  // absolute, on the lever
  int evaluations = 0;
  std::vector<GoalScanPoint> scan;  // in increasing lever value, the current value included
  std::string message;              // the verdict in one sentence
  std::vector<std::string> notes;   // e.g. the central case of a stochastic scenario
};

// Finds the lever value that meets `target` (see the file comment). Scans
// the range, then narrows the bracket nearest the current value by
// bisection with secant steps. A response that is not monotone is handled as
// far as the scan resolves it: a region where the target holds narrower than
// the scan's spacing can be missed. UsageError naming the parameter, value
// and rule for an unknown lever or indicator, a year outside the run, bounds
// outside the domain or not lower < upper, and bad options.
[[nodiscard]] GoalResult seek_goal(const Scenario& scenario, const GoalTarget& target,
                                   const GoalOptions& options);

// The result as text for a terminal, and as one JSON object.
[[nodiscard]] std::string format_goal(const GoalResult& result);
[[nodiscard]] std::string format_goal_json(const GoalResult& result);

}  // namespace staffsim
