#include "ensemble/column_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "staffsim/errors.hpp"

namespace staffsim::ensemble {

namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

ColumnStore::ColumnStore(std::size_t columns, std::uint64_t draws, std::size_t block,
                         std::uint64_t budget_bytes, const std::filesystem::path& scratch_dir)
    : columns_(columns), draws_(draws), block_(block) {
  const std::uint64_t bytes = static_cast<std::uint64_t>(columns) * draws * sizeof(float);
  if (bytes <= budget_bytes) {
    memory_.resize(static_cast<std::size_t>(columns) * static_cast<std::size_t>(draws));
    return;
  }
  std::error_code ec;
  const std::filesystem::path dir =
      scratch_dir.empty() ? std::filesystem::temp_directory_path(ec) : scratch_dir;
  std::string pattern = (dir / ".staffsim-scratch-XXXXXX").string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) {
    throw IoError("cannot create a scratch file in '" + dir.string() + "': " + errno_text());
  }
  path_ = pattern;
  // Unlinked at once: the data stay reachable through fd_ and vanish with it,
  // even if the process is killed.
  ::unlink(path_.c_str());
}

ColumnStore::~ColumnStore() {
  if (fd_ >= 0) ::close(fd_);
}

void ColumnStore::append(std::span<const float> values, std::size_t n) {
  const std::size_t count = columns_ * n;
  const std::uint64_t offset = appended_ * columns_;  // floats before this block
  if (fd_ < 0) {
    std::copy_n(values.begin(), count, memory_.begin() + static_cast<std::ptrdiff_t>(offset));
  } else {
    const char* p = reinterpret_cast<const char*>(values.data());
    std::size_t left = count * sizeof(float);
    auto at = static_cast<off_t>(offset * sizeof(float));
    while (left > 0) {
      const ssize_t w = ::pwrite(fd_, p, left, at);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        throw IoError("cannot write the scratch file '" + path_.string() + "': " + errno_text() +
                      " (is the disk full?)");
      }
      p += w;
      at += w;
      left -= static_cast<std::size_t>(w);
    }
  }
  appended_ += n;
}

void ColumnStore::read(std::size_t first, std::size_t count, std::vector<float>& out) const {
  out.resize(count * static_cast<std::size_t>(appended_));
  std::vector<float> piece;
  for (std::uint64_t start = 0; start < appended_; start += block_) {
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(block_, appended_ - start));
    const std::uint64_t offset = start * columns_ + first * n;  // floats
    const float* src = nullptr;
    if (fd_ < 0) {
      src = memory_.data() + offset;
    } else {
      piece.resize(count * n);
      char* p = reinterpret_cast<char*>(piece.data());
      std::size_t left = piece.size() * sizeof(float);
      auto at = static_cast<off_t>(offset * sizeof(float));
      while (left > 0) {
        const ssize_t r = ::pread(fd_, p, left, at);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
          throw IoError("cannot read the scratch file '" + path_.string() + "': " + errno_text());
        }
        p += r;
        at += r;
        left -= static_cast<std::size_t>(r);
      }
      src = piece.data();
    }
    for (std::size_t j = 0; j < count; ++j) {
      std::copy_n(src + j * n, n, out.begin() + static_cast<std::ptrdiff_t>(j * appended_ + start));
    }
  }
}

}  // namespace staffsim::ensemble
