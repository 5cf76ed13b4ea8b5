#pragma once
// Runs the staffsim CLI as a child process for end-to-end tests and captures
// its exit code, standard output and standard error.
#include <filesystem>
#include <string>
#include <vector>

namespace staffsim::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `staffsim args...` in `cwd` (arguments are passed verbatim, no shell).
[[nodiscard]] CliResult run_cli(const std::vector<std::string>& args,
                                const std::filesystem::path& cwd = std::filesystem::current_path());

// A fresh empty folder under the system temp folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Writes `text` to a file in the folder and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;
  // Every regular file in the folder (names only), sorted.
  [[nodiscard]] std::vector<std::string> files() const;

 private:
  std::filesystem::path path_;
};

[[nodiscard]] std::string read_file(const std::filesystem::path& file);

}  // namespace staffsim::testing
