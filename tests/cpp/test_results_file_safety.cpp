// Safe writing (DESIGN.md 4, 7): SIGKILL or Ctrl-C in the middle of writing
// the results file, or a failure at the end, never leaves a partial file at
// the target path and never changes an existing one. The writer's test hook
// (STAFFSIM_TEST_PAUSE_WRITER_AFTER=N) holds it after N variables.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "staffsim/results_reader.hpp"
#include "support/cli_runner.hpp"

namespace staffsim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScenario =
    std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/central_bedfordshire_2009/calibration.yaml";

// Starts `staffsim run SCENARIO -q -o output` with the pause hook set; the
// child's output goes to /dev/null.
pid_t start_paused_run(const fs::path& output, int pause_after) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setenv("STAFFSIM_TEST_PAUSE_WRITER_AFTER", std::to_string(pause_after).c_str(), 1);
    if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)) {
      ::_exit(127);
    }
    std::vector<std::string> args{STAFFSIM_CLI_PATH, "run", kScenario, "-q", "-o", output.string()};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits until the writer's temporary file exists and has stopped growing
// (the writer flushes before it pauses); its name, or "" after 30 s.
std::string wait_for_paused_writer(const TempDir& dir, const std::string& target) {
  const std::string prefix = "." + target + ".tmp-";
  std::uintmax_t last_size = 0;
  int stable = 0;
  for (int i = 0; i < 3000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (const std::string& name : dir.files()) {
      if (name.rfind(prefix, 0) != 0) continue;
      std::error_code ec;
      const std::uintmax_t size = fs::file_size(dir.path() / name, ec);
      stable = !ec && size > 0 && size == last_size ? stable + 1 : 0;
      last_size = ec ? 0 : size;
      if (stable >= 20) return name;  // 200 ms without growth
    }
  }
  return "";
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(ResultsFileSafety, SigkillMidWriteLeavesNoFileAtTheTarget) {
  const TempDir dir;
  const fs::path target = dir.path() / "results.h5";
  const pid_t pid = start_paused_run(target, 5);
  const std::string temp = wait_for_paused_writer(dir, "results.h5");
  ASSERT_NE(temp, "") << "the writer never paused";
  ::kill(pid, SIGKILL);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  EXPECT_FALSE(fs::exists(target));
  // Only the hidden temporary file is left, named after the process.
  EXPECT_EQ(dir.files(), std::vector<std::string>{temp});
  EXPECT_NE(temp.find(std::to_string(pid)), std::string::npos);
}

TEST(ResultsFileSafety, SigkillMidWriteKeepsAnExistingFileByteForByte) {
  const TempDir dir;
  const fs::path target = dir.path() / "results.h5";
  ASSERT_EQ(run_cli({"run", kScenario, "-q", "-o", target.string()}).exit_code, 0);
  const std::string before = read_file(target);
  const pid_t pid = start_paused_run(target, 10);
  ASSERT_NE(wait_for_paused_writer(dir, "results.h5"), "") << "the writer never paused";
  ::kill(pid, SIGKILL);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  EXPECT_TRUE(read_file(target) == before) << "the existing results file changed";
  EXPECT_NO_THROW((void)read_results_file(target));
}

TEST(ResultsFileSafety, CtrlCMidWriteExits130AndRemovesTheTemporaryFile) {
  const TempDir dir;
  const fs::path target = dir.write("results.h5", "previous results\n");
  const pid_t pid = start_paused_run(target, 3);
  ASSERT_NE(wait_for_paused_writer(dir, "results.h5"), "") << "the writer never paused";
  ::kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 130);
  EXPECT_EQ(read_file(target), "previous results\n");
  EXPECT_EQ(dir.files(), std::vector<std::string>{"results.h5"});
}

TEST(ResultsFileSafety, AFailedRenameRemovesTheTemporaryFileAndExits4) {
  // The target is a folder: everything is written, then the rename fails.
  const TempDir dir;
  fs::create_directory(dir.path() / "results.h5");
  const CliResult r = run_cli({"run", kScenario, "-q", "-o", (dir.path() / "results.h5").string()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("cannot rename"), std::string::npos) << r.err;
  EXPECT_TRUE(dir.files().empty());
  EXPECT_TRUE(fs::is_empty(dir.path() / "results.h5"));
}

}  // namespace
}  // namespace staffsim::testing
