#include "support/validation_table.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "support/cli_runner.hpp"

namespace staffsim::testing {

namespace fs = std::filesystem;

namespace {

// 1-based line of a character offset.
std::size_t line_of(const std::string& text, std::size_t offset) {
  return static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n')) +
         1;
}

// The expected position prefix: "file:line:column: " (CSV "file:row: ").
std::string position(const ValidationCase& c, const Files& files, const fs::path& dir) {
  if (std::string(c.at).empty()) {
    return std::string(c.at_file) == "--set" ? "--set: " : "";
  }
  const std::string& text = files.at(c.at_file);
  const std::size_t off = text.find(c.at);
  if (off == std::string::npos) return "<`" + std::string(c.at) + "` not in " + c.at_file + ">";
  const std::string file = (dir / c.at_file).generic_string();
  if (std::string(c.at_file).ends_with(".csv")) {
    return file + ":" + std::to_string(line_of(text, off)) + ": ";
  }
  const std::size_t line_start = text.rfind('\n', off == 0 ? 0 : off - 1);
  const std::size_t column = line_start == std::string::npos ? off + 1 : off - line_start;
  return file + ":" + std::to_string(line_of(text, off)) + ":" + std::to_string(column) + ": ";
}

// Writes the case's files (the base with the case's edit) into `dir` and
// returns their texts.
Files write_case(const ValidationCase& c, const Files& base, const fs::path& dir) {
  Files files = base;
  for (const auto& [name, text] : c.extra_files) files[name] = text;
  std::string& edited = files.at(c.file);
  if (!std::string(c.from).empty()) {
    const std::size_t at = edited.find(c.from);
    EXPECT_NE(at, std::string::npos) << "the edit does not apply: " << c.from;
    if (at != std::string::npos) edited.replace(at, std::string(c.from).size(), c.to);
  }
  for (const auto& [name, text] : files) std::ofstream(dir / name) << text;
  return files;
}

// The file a case loads: child.yaml when the case adds one, else the base's YAML.
fs::path top_file(const ValidationCase& c, const Files& base, const fs::path& dir) {
  if (c.extra_files.count("child.yaml") != 0) return dir / "child.yaml";
  for (const auto& [name, text] : base) {
    if (name.ends_with(".yaml")) return dir / name;
  }
  return dir / "base.yaml";
}

}  // namespace

CaseDir::CaseDir(const std::string& suite, const std::string& name)
    : path_(fs::temp_directory_path() /
            ("staffsim_" + suite + "_" + std::to_string(::getpid()) + "_" + name)) {
  fs::remove_all(path_);
  fs::create_directories(path_);
}

// Removes the folder and everything the case wrote.
CaseDir::~CaseDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

// DESIGN.md 3: the message carries position, path, value and rule.
void expect_load_reports(const ValidationCase& c, const Files& base, const fs::path& dir) {
  const Files files = write_case(c, base, dir);
  const std::string want = position(c, files, dir) + c.message;
  try {
    (void)load_scenario(top_file(c, base, dir), c.sets);
    ADD_FAILURE() << "accepted; expected: " << want;
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(want), std::string::npos) << "expected: " << want << "\ngot:\n" << what;
  }
}

// DESIGN.md 3, 7: exit 3, the message on stderr, and no output file.
void expect_cli_refuses(const ValidationCase& c, const Files& base, const fs::path& dir) {
  const Files files = write_case(c, base, dir);
  std::vector<std::string> args{"run", top_file(c, base, dir).string(), "-o",
                                (dir / "results.csv").string()};
  for (const auto& set : c.sets) {
    args.push_back("--set");
    args.push_back(set.path + "=" + set.value);
  }
  const CliResult r = run_cli(args, dir);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << "expected: " << c.message << "\ngot:\n"
                                                      << r.err;
  std::vector<std::string> present;
  for (const auto& e : fs::directory_iterator(dir)) present.push_back(e.path().filename().string());
  std::vector<std::string> inputs;
  for (const auto& [name, text] : files) inputs.push_back(name);
  std::sort(present.begin(), present.end());
  EXPECT_EQ(present, inputs) << "a run that failed validation left a file behind";
}

// Loads and passes Scenario::check().
void expect_base_loads(const Files& base, const std::string& top, const std::string& suite) {
  const CaseDir dir(suite, "base");
  for (const auto& [name, text] : base) std::ofstream(dir.path() / name) << text;
  try {
    const Scenario sc = load_scenario(dir.path() / top);
    EXPECT_NO_THROW(sc.check());
  } catch (const ScenarioError& e) {
    ADD_FAILURE() << "the base does not load:\n" << e.what();
  }
}

}  // namespace staffsim::testing
