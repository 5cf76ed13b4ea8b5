#pragma once
// Block sizes of the ensemble runner, shared with its memory estimate.
// Internal header.
#include <cstddef>
#include <cstdint>

namespace staffsim::ensemble {

// Draws per block: run in parallel, then committed in draw order. Fixed, so
// the scratch layout does not depend on the machine.
inline constexpr std::size_t kBlock = 64;
// Memory for the per-draw values of the columns whose quantiles are taken
// together.
inline constexpr std::uint64_t kReduceBytes = std::uint64_t{64} << 20;

}  // namespace staffsim::ensemble
