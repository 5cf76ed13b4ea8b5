#pragma once
// Counter-based random streams for ensembles (DESIGN.md 2.7, "Random numbers").
// Internal header.
//
// Generator. Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC'11; the Random123 library's
// r123::Philox4x32). It is a keyed bijection of a 128-bit counter: each
// (key, counter) pair gives four independent 32-bit words, so any stream can
// be created on the fly and read from its start, with no state shared between
// streams, draws or threads. Results therefore never depend on the number of
// threads or on the order in which cells, steps or draws are visited.
//
// Layout. A stream is named by (seed, draw, kind, id_or_step, cell):
//   key     word 0  seed mod 2^32
//           word 1  draw (0 <= draw < 2^32; checked)
//   counter word 0  variate block b (bits 0-29) | stream kind (bits 30-31)
//           word 1  cell (flat cell index, or element index of a parameter)
//           word 2  parameter id (kind = parameters) or step (kind = noise)
//           word 3  seed >> 32 (so every 64-bit seed is distinct)
// Philox4x32's key is 64 bits, so the key is (seed, draw) as DESIGN.md asks
// with the seed's high half carried in counter word 3. The map from names to
// (key, counter) is injective: two distinct names never share a Philox block.
// Kind 0 is the parameter stream (values drawn once per draw), kind 1 the
// process-noise stream (per step and cell); 2 and 3 are reserved. Block b
// gives words w0..w3; the stream reads blocks b = 0, 1, 2, ... and, within a
// block, w0, w1, w2, w3 in order. A stream holds 2^30 blocks (2^31
// doubles); reading past that throws.
//
// Outputs. next_u32() is the next word; next_u64() = w_i | w_{i+1} << 32.
// uniform() takes k = next_u64() >> 11 (53 bits), draws again if k = 0
// (probability 2^-53), and returns k * 2^-53: the 2^53 - 1 points of the grid
// k * 2^-53 in (0, 1), each equally likely, never 0 or 1, exactly symmetric
// about 1/2 (u and 1 - u are equally likely, both exact).
//
// Common random numbers. Variants of a sweep share seed and draw, so they read
// the same streams; a sampler that uses a fixed number of uniforms (see
// samplers.hpp) keeps later reads of the stream aligned across variants.
//
// Nothing here uses std:: distributions (their output is implementation-
// defined); all sampling is in samplers.hpp.
#include <array>
#include <cstdint>

namespace staffsim::random {

// Which family of random numbers a stream serves (counter word 0, bits 30-31).
enum class Stream : std::uint32_t {
  parameters = 0,  // sampled parameters: id_or_step = parameter id, cell = element
  noise = 1,       // process noise: id_or_step = step, cell = flat cell index
};

// Spacing of the uniform() grid, 2^-53.
inline constexpr double kUniformSpacing = 0x1p-53;
// Blocks of four words a stream can read (2^30).
inline constexpr std::uint32_t kBlocksPerStream = std::uint32_t{1} << 30;

// One counter-based stream (Philox4x32-10). Cheap to construct and copy (48
// bytes, no Philox call until the first read); one stream per thread.
class RandomStream {
 public:
  // Throws std::out_of_range when draw >= 2^32.
  RandomStream(std::uint64_t seed, std::uint64_t draw, Stream kind, std::uint32_t id_or_step,
               std::uint32_t cell);

  // Next 32-bit word of the stream.
  std::uint32_t next_u32() {
    if (pos_ == kWordsPerBlock) {
      refill();
    }
    return block_[pos_++];
  }

  // Next 64 bits: two words, the first in the low half.
  std::uint64_t next_u64() {
    const std::uint64_t lo = next_u32();
    const std::uint64_t hi = next_u32();
    return lo | (hi << 32);
  }

  // Uniform on the open interval (0, 1) with 53-bit resolution: k * 2^-53
  // for k uniform on 1 .. 2^53 - 1 (k = 0 is redrawn).
  double uniform() {
    for (;;) {
      const std::uint64_t k = next_u64() >> 11;
      if (k != 0) {
        return static_cast<double>(k) * kUniformSpacing;
      }
    }
  }

  // Jumps to the start of counter block `block` (< 2^30), discarding what is
  // left of the current block; the stream reads on from there. For known-
  // answer tests and for skipping ahead.
  void seek(std::uint32_t block);

  // The next counter block to generate: the number of blocks generated so
  // far (including a partly read one) when reading from the start.
  [[nodiscard]] std::uint32_t blocks_used() const { return next_block_; }

 private:
  static constexpr std::uint32_t kWordsPerBlock = 4;

  // Generates counter block next_block_ into block_ (Philox4x32-10).
  void refill();

  std::array<std::uint32_t, 2> key_{};
  std::array<std::uint32_t, 4> counter_{};  // word 0 holds only the kind bits here
  std::array<std::uint32_t, kWordsPerBlock> block_{};
  std::uint32_t next_block_ = 0;
  std::uint32_t pos_ = kWordsPerBlock;  // next word of block_ to read; 4 = empty
};

}  // namespace staffsim::random
