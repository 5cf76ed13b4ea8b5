#pragma once
// Writes a file atomically: content goes to a temporary file beside the
// target, which is closed and then renamed over it (DESIGN.md 4, 7).
#include <filesystem>
#include <functional>
#include <ostream>

namespace staffsim::io {

// Calls `write` with a stream on the temporary file; renames on success and
// removes the temporary file on any failure (rethrowing as IoError).
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(std::ostream&)>& write);

}  // namespace staffsim::io
