#pragma once
// Exceptions the library throws. Each carries the full message; the CLI maps
// the type to an exit code and pybind11 to a Python exception. Nothing in the
// library prints and exits.
#include <stdexcept>
#include <string>
#include <vector>

namespace staffsim {

// One problem found in a scenario: where, which parameter, what value, which rule.
struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  std::string file;  // as given by the user (relative paths stay relative)
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown (CSV rows have no column)
  std::string path;  // parameter path, e.g. supply.turnover.base[care_worker,private]
  std::string value;
  std::string rule;
  // "file:line:col: path = value: rule" (parts that are unknown are left out).
  [[nodiscard]] std::string format() const;
};

// The scenario is invalid: every problem found, not just the first (exit 3).
class ScenarioError : public std::invalid_argument {
 public:
  explicit ScenarioError(std::vector<Diagnostic> problems);
  ScenarioError(const std::string& message);  // a single problem with no location
  [[nodiscard]] const std::vector<Diagnostic>& problems() const { return problems_; }

 private:
  std::vector<Diagnostic> problems_;
};

// Reading or writing a file failed, or a file is not what it claims (exit 4).
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request that does not make sense for the object's state, e.g. run_to a
// year before the current one (exit 2 from the CLI).
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The run was cancelled (Ctrl-C); exit 130.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

}  // namespace staffsim
