#include "io/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "staffsim/errors.hpp"

namespace staffsim::io {

void write_atomically(const std::filesystem::path& target,
                      const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir)) {
    throw IoError("cannot write '" + target.string() + "': folder '" + dir.string() +
                  "' does not exist");
  }
  // The process id keeps concurrent writers to one folder apart.
  const fs::path tmp =
      dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) {
        throw IoError("cannot write '" + tmp.string() + "': " + std::strerror(errno));
      }
      write(out);
      out.flush();
      if (!out) throw IoError("writing '" + tmp.string() + "' failed: " + std::strerror(errno));
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
      throw IoError("cannot rename '" + tmp.string() + "' to '" + target.string() +
                    "': " + ec.message());
    }
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

}  // namespace staffsim::io
