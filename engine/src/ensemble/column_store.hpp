#pragma once
// Per-draw values of every column, kept as float32 until the quantiles are
// taken. Draws arrive in blocks (in draw order); a block is stored column by
// column, so reading a range of columns over all draws reads one contiguous
// piece per block. Small stores stay in memory; above the memory budget the
// blocks spill to a scratch file (DESIGN.md 2.7), removed when the store is
// destroyed, whether the run finished or failed. Internal header.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace staffsim::ensemble {

class ColumnStore {
 public:
  // `block` draws per block (the last may be shorter). Spills when columns x
  // draws x 4 bytes exceeds `budget_bytes`, to a file in `scratch_dir`.
  ColumnStore(std::size_t columns, std::uint64_t draws, std::size_t block,
              std::uint64_t budget_bytes, const std::filesystem::path& scratch_dir);
  ~ColumnStore();
  ColumnStore(const ColumnStore&) = delete;
  ColumnStore& operator=(const ColumnStore&) = delete;

  // Appends the next block: values[c * n + i] is column c of the block's
  // draw i, for n draws.
  void append(std::span<const float> values, std::size_t n);

  // Columns [first, first + count) over every draw appended:
  // out[j * draws + d] is column first + j of draw d.
  void read(std::size_t first, std::size_t count, std::vector<float>& out) const;

  [[nodiscard]] bool spilled() const { return fd_ >= 0; }
  [[nodiscard]] const std::filesystem::path& scratch_path() const { return path_; }

 private:
  std::size_t columns_;
  std::uint64_t draws_;
  std::size_t block_;
  std::uint64_t appended_ = 0;
  std::vector<float> memory_;  // when not spilled: blocks one after another
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace staffsim::ensemble
