// The text forms of goal seeking (staffsim/goal.hpp): a target parsed from
// `indicator[year] <= value`, and a result as a report or as JSON.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "io/table_text.hpp"
#include "number_text.hpp"
#include "scenario/config_tree.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/goal.hpp"

namespace staffsim {

using calib::num;

std::string GoalTarget::text() const {
  return query.text() + " " + to_string(op) + " " + io::csv_number(value);
}

const char* to_string(GoalTarget::Op op) {
  switch (op) {
    case GoalTarget::Op::at_most:
      return "<=";
    case GoalTarget::Op::at_least:
      return ">=";
    case GoalTarget::Op::equal:
      return "==";
  }
  return "";
}

const char* to_string(RangeBasis basis) {
  switch (basis) {
    case RangeBasis::domain:
      return "domain";
    case RangeBasis::practical:
      return "practical";
    case RangeBasis::user:
      return "user";
  }
  return "";
}

GoalTarget parse_goal_target(std::string_view text) {
  const std::string written(text);
  const auto refuse = [&](const std::string& rule) {
    throw UsageError("target '" + written + "': " + rule +
                     " (write it as indicator[year] <= value, >= value or == value)");
  };
  // The operator follows the indicator's brackets, which may hold '='.
  const std::size_t close = text.rfind(']');
  const std::size_t from = close == std::string_view::npos ? 0 : close + 1;
  GoalTarget t;
  std::size_t at = std::string_view::npos;
  for (const auto& [sym, op] :
       {std::pair{"<=", GoalTarget::Op::at_most}, std::pair{">=", GoalTarget::Op::at_least},
        std::pair{"==", GoalTarget::Op::equal}}) {
    if (const std::size_t i = text.find(sym, from); i != std::string_view::npos) {
      at = i;
      t.op = op;
      break;
    }
  }
  if (at == std::string_view::npos) {
    refuse(text.find_first_of("<>=!", from) != std::string_view::npos
               ? "the comparison must be <=, >= or =="
               : "expected a comparison <=, >= or == and a value");
  }
  const std::string lhs(config::trim(text.substr(0, at)));
  const std::string rhs(config::trim(text.substr(at + 2)));
  if (lhs.empty()) refuse("the indicator is missing");
  if (rhs.empty()) refuse("the value is missing");
  try {
    t.query = parse_indicator_query(lhs);
  } catch (const UsageError& e) {
    refuse(e.what());
  }
  const auto [end, ec] = std::from_chars(rhs.data(), rhs.data() + rhs.size(), t.value);
  if (ec != std::errc() || end != rhs.data() + rhs.size() || !std::isfinite(t.value)) {
    refuse("the value '" + rhs + "' is not a finite number");
  }
  return t;
}

std::string format_goal(const GoalResult& r) {
  const std::string ind = r.target.query.text();
  const std::string verdict = r.no_change_needed ? "met at the current value (no change needed)"
                              : r.met            ? "met"
                                                 : "cannot be met";
  std::string out = "staffsim goal: " + r.scenario + "\n";
  out += "  target       " + r.target.text() + "\n";
  out += "  lever        " + r.lever + " (" + r.lever_type + "), the " + r.path_text + "\n";
  out += "  range        " + r.range_text + "\n";
  out += "  current      " + r.lever + " = " + num(r.current_value, 8) + "  ->  " + ind + " = " +
         num(r.current_indicator_value) + "\n";
  out += "  result       " + verdict + ": " + r.lever + " = " + num(r.value, 8) + "  ->  " + ind +
         " = " + num(r.indicator_value) + "\n";
  out += "  evaluations  " + std::to_string(r.evaluations) + " runs, tolerance " +
         num(r.tolerance, 3) + " on the lever\n\n";
  out += r.message + "\n";
  for (const auto& n : r.notes) out += "note: " + n + "\n";
  // The scan: lever value, indicator value, whether it meets the target.
  const int w = static_cast<int>(std::max<std::size_t>(14, r.lever.size()));
  const int wi = static_cast<int>(std::max<std::size_t>(14, ind.size()));
  char line[400];
  std::snprintf(line, sizeof line, "\n  %-*s  %-*s  meets target\n", w, r.lever.c_str(), wi,
                ind.c_str());
  out += line;
  for (const auto& p : r.scan) {
    const char* mark = p.lever_value == r.current_value ? "  (current)" : "";
    std::snprintf(line, sizeof line, "  %-*s  %-*s  %s%s\n", w, num(p.lever_value, 8).c_str(), wi,
                  num(p.indicator_value).c_str(), p.meets ? "yes" : "no", mark);
    out += line;
  }
  return out;
}

std::string format_goal_json(const GoalResult& r) {
  using io::json_number;
  using io::json_string;
  std::string out = "{\"scenario\": " + json_string(r.scenario);
  out += ", \"target\": {\"text\": " + json_string(r.target.text()) +
         ", \"indicator\": " + json_string(r.target.query.text()) +
         ", \"op\": " + json_string(to_string(r.target.op)) +
         ", \"value\": " + json_number(r.target.value) +
         ", \"unit\": " + json_string(indicator_unit(r.target.query)) + "}";
  out += ", \"lever\": " + json_string(r.lever) + ", \"lever_type\": " + json_string(r.lever_type) +
         ", \"lever_value_is\": " + json_string(r.path_text);
  out += std::string(", \"met\": ") + (r.met ? "true" : "false") +
         ", \"no_change_needed\": " + (r.no_change_needed ? "true" : "false");
  out += ", \"value\": " + json_number(r.value) +
         ", \"indicator_value\": " + json_number(r.indicator_value);
  out += ", \"current_value\": " + json_number(r.current_value) +
         ", \"current_indicator_value\": " + json_number(r.current_indicator_value);
  out += ", \"range\": {\"lower\": " + json_number(r.lower) +
         ", \"upper\": " + json_number(r.upper) +
         ", \"lower_basis\": " + json_string(to_string(r.lower_basis)) +
         ", \"upper_basis\": " + json_string(to_string(r.upper_basis)) + "}";
  out += ", \"tolerance\": " + json_number(r.tolerance) +
         ", \"evaluations\": " + std::to_string(r.evaluations);
  out += ", \"message\": " + json_string(r.message) + ", \"notes\": [";
  for (std::size_t i = 0; i < r.notes.size(); ++i) {
    out += (i > 0 ? ", " : "") + json_string(r.notes[i]);
  }
  out += "], \"scan\": [";
  for (std::size_t i = 0; i < r.scan.size(); ++i) {
    const auto& p = r.scan[i];
    out += std::string(i > 0 ? ", " : "") + "{\"value\": " + json_number(p.lever_value) +
           ", \"indicator_value\": " + json_number(p.indicator_value) +
           ", \"meets\": " + (p.meets ? "true" : "false") + "}";
  }
  return out + "]}\n";
}

}  // namespace staffsim
