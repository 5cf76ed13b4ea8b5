#include "random/philox_stream.hpp"

#include <Random123/philox.h>

#include <stdexcept>
#include <string>

namespace staffsim::random {

namespace {

constexpr std::uint32_t kKindShift = 30;
constexpr std::uint64_t kDrawLimit = std::uint64_t{1} << 32;

}  // namespace

// Names the stream: key (seed mod 2^32, draw), counter (kind << 30, cell,
// id_or_step, seed >> 32); see the layout at the top of philox_stream.hpp.
RandomStream::RandomStream(std::uint64_t seed, std::uint64_t draw, Stream kind,
                           std::uint32_t id_or_step, std::uint32_t cell) {
  if (draw >= kDrawLimit) {
    throw std::out_of_range("random stream: draw index " + std::to_string(draw) +
                            " does not fit the 32-bit Philox key word");
  }
  key_ = {static_cast<std::uint32_t>(seed & 0xffffffffU), static_cast<std::uint32_t>(draw)};
  counter_ = {static_cast<std::uint32_t>(kind) << kKindShift, cell, id_or_step,
              static_cast<std::uint32_t>(seed >> 32)};
}

// Positions the stream at a counter block; the next read generates it.
void RandomStream::seek(std::uint32_t block) {
  if (block >= kBlocksPerStream) {
    throw std::out_of_range("random stream: block " + std::to_string(block) +
                            " is past the end of the stream (2^30 blocks)");
  }
  next_block_ = block;
  pos_ = kWordsPerBlock;
}

// One Philox4x32-10 evaluation (Salmon et al. 2011, Random123's
// r123::Philox4x32) of the counter with the variate block in bits 0-29 of
// word 0.
void RandomStream::refill() {
  if (next_block_ >= kBlocksPerStream) {
    throw std::length_error("random stream: exhausted (2^30 blocks of four words)");
  }
  const r123::Philox4x32 philox;
  const r123::Philox4x32::ctr_type ctr = {
      {counter_[0] | next_block_, counter_[1], counter_[2], counter_[3]}};
  const r123::Philox4x32::key_type key = {{key_[0], key_[1]}};
  const r123::Philox4x32::ctr_type out = philox(ctr, key);
  block_ = {out[0], out[1], out[2], out[3]};
  ++next_block_;
  pos_ = 0;
}

}  // namespace staffsim::random
