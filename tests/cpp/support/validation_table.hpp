#pragma once
// Table-driven validation tests (DESIGN.md 3): each case is one edit of a
// valid base scenario and the exact message it must produce, with its
// position (file:line:column, CSV file:row, or `--set`). Each case is checked
// through load_scenario and through `staffsim run` (exit 3, nothing written).
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "staffsim/scenario.hpp"

namespace staffsim::testing {

using Files = std::map<std::string, std::string>;  // file name -> text

// One broken scenario: an edit of one file of the base, and where the message
// points. `at` is text in the edited file whose first character is the
// reported line:column (CSV: whose line is the reported row); an empty `at`
// means the message has no file position (a `--set` value).
struct ValidationCase {
  const char* name;
  const char* file;  // the file edited
  const char* from;  // text replaced (first occurrence); "" for no edit
  const char* to;
  const char* at_file;  // the file the message names, or "--set"
  const char* at;
  const char* message;  // "path = value: rule" as printed after the position
  std::vector<Override> sets = {};
  Files extra_files = {};
};

// GoogleTest names a failing case by its name, not its bytes.
inline void PrintTo(const ValidationCase& c, std::ostream* os) { *os << c.name; }

// A fresh folder per case (named after it), removed by the destructor.
class CaseDir {
 public:
  CaseDir(const std::string& suite, const std::string& name);
  ~CaseDir();
  CaseDir(const CaseDir&) = delete;
  CaseDir& operator=(const CaseDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// load_scenario reports the case's message with its position.
void expect_load_reports(const ValidationCase& c, const Files& base,
                         const std::filesystem::path& dir);
// `staffsim run -o` exits 3 with the message and leaves no file behind.
void expect_cli_refuses(const ValidationCase& c, const Files& base,
                        const std::filesystem::path& dir);
// The base itself loads (every case is one edit away from it).
void expect_base_loads(const Files& base, const std::string& top, const std::string& suite);

}  // namespace staffsim::testing
