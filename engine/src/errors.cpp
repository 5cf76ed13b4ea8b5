#include "staffsim/errors.hpp"

#include <sstream>
#include <utility>

namespace staffsim {

std::string Diagnostic::format() const {
  std::ostringstream out;
  if (!file.empty()) {
    out << file;
    if (line > 0) {
      out << ':' << line;
      if (column > 0) out << ':' << column;
    }
    out << ": ";
  }
  if (severity == Severity::warning) out << "warning: ";
  if (!path.empty()) {
    out << path;
    if (!value.empty()) out << " = " << value;
    out << ": ";
  }
  out << rule;
  return out.str();
}

namespace {
std::string join_problems(const std::vector<Diagnostic>& problems) {
  std::string text;
  for (const auto& p : problems) {
    if (!text.empty()) text += '\n';
    text += p.format();
  }
  return text.empty() ? std::string("invalid scenario") : text;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> problems)
    : std::invalid_argument(join_problems(problems)), problems_(std::move(problems)) {}

ScenarioError::ScenarioError(const std::string& message)
    : std::invalid_argument(message), problems_{Diagnostic{.rule = message}} {}

}  // namespace staffsim
