#pragma once
// Replaces a file through a temporary file beside it (DESIGN.md 4, 7), for
// writers that need a path rather than a stream (the HDF5 C API).
#include <filesystem>
#include <functional>
#include <ostream>

namespace staffsim::io {

// Calls `write` with the path of a fresh temporary file in the target's
// folder; once it returns (having closed the file), syncs the file to disk
// and renames it over `target`. Any exception removes the temporary file and
// propagates; the target is then untouched.
void replace_via_temp_file(const std::filesystem::path& target,
                           const std::function<void(const std::filesystem::path& temp)>& write);

// The same for writers of a stream (CSV): `write` fills a binary stream on
// the temporary file, which is flushed and checked before the rename.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(std::ostream&)>& write);

}  // namespace staffsim::io
