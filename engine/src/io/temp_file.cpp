#include "io/temp_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "staffsim/errors.hpp"

namespace staffsim::io {

namespace {

// fsync a file or folder, so that after a crash the rename never points at
// data that was not written (ext4 and friends may reorder them otherwise).
void sync_path(const std::filesystem::path& path, bool required) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (required) throw IoError("cannot open '" + path.string() + "': " + std::strerror(errno));
    return;
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && required) {
    throw IoError("cannot write '" + path.string() + "' to disk: " + std::strerror(err));
  }
}

}  // namespace

void replace_via_temp_file(const std::filesystem::path& target,
                           const std::function<void(const std::filesystem::path& temp)>& write) {
  namespace fs = std::filesystem;
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir)) {
    throw IoError("cannot write '" + target.string() + "': folder '" + dir.string() +
                  "' does not exist");
  }
  // A hidden name with the process id: concurrent writers to one folder stay
  // apart, and a run killed outright leaves only this name behind.
  const fs::path temp =
      dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  try {
    write(temp);
    sync_path(temp, true);
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
      throw IoError("cannot rename '" + temp.string() + "' to '" + target.string() +
                    "': " + ec.message());
    }
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
  sync_path(dir, false);  // the rename itself; best effort (some file systems refuse)
}

void write_atomically(const std::filesystem::path& target,
                      const std::function<void(std::ostream&)>& write) {
  replace_via_temp_file(target, [&](const std::filesystem::path& temp) {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot write '" + temp.string() + "': " + std::strerror(errno));
    write(out);
    out.flush();
    if (!out) throw IoError("writing '" + temp.string() + "' failed: " + std::strerror(errno));
  });
}

}  // namespace staffsim::io
