// The counter-based streams (DESIGN.md 2.7, "Random numbers") and the
// integer tools built on them: Bernoulli, stochastic rounding (means exact)
// and largest-remainder rounding (totals exact, DESIGN.md 2.1).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <vector>

#include "random/philox_stream.hpp"
#include "random/samplers.hpp"

namespace staffsim::random {
namespace {

constexpr std::uint64_t kSeed = 20240917;

// The first `count` 64-bit outputs of a (copy of a) stream.
std::vector<std::uint64_t> first_words(RandomStream s, int count) {
  std::vector<std::uint64_t> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    out.push_back(s.next_u64());
  }
  return out;
}

// Known-answer vectors of Philox4x32-10 (Random123's kat_vectors): the
// stream layout must hand the counter and key to Philox unchanged.
TEST(PhiloxStream, MatchesRandom123KnownAnswers) {
  RandomStream zero(0, 0, Stream::parameters, 0, 0);
  EXPECT_EQ(zero.next_u32(), 0x6627e8d5U);
  EXPECT_EQ(zero.next_u32(), 0xe169c58dU);
  EXPECT_EQ(zero.next_u32(), 0xbc57ac4cU);
  EXPECT_EQ(zero.next_u32(), 0x9b00dbd8U);
  // ctr = (243f6a88 85a308d3 13198a2e 03707344), key = (a4093822 299f31d0).
  RandomStream pi(0x03707344a4093822ULL, 0x299f31d0ULL, Stream::parameters, 0x13198a2eU,
                  0x85a308d3U);
  pi.seek(0x243f6a88U);
  EXPECT_EQ(pi.next_u32(), 0xd16cfe09U);
  EXPECT_EQ(pi.next_u32(), 0x94fdccebU);
  EXPECT_EQ(pi.next_u32(), 0x5001e420U);
  EXPECT_EQ(pi.next_u32(), 0x24126ea1U);
  EXPECT_EQ(pi.blocks_used(), 0x243f6a89U);
}

static_assert(sizeof(RandomStream) <= 64, "streams are made on the fly: keep them small");

TEST(PhiloxStream, SameNameSameNumbers) {
  const RandomStream a(kSeed, 17, Stream::noise, 40, 1234);
  const RandomStream b(kSeed, 17, Stream::noise, 40, 1234);
  EXPECT_EQ(first_words(a, 1000), first_words(b, 1000));
  // A copy taken part-way through a block carries on identically.
  RandomStream c(kSeed, 17, Stream::noise, 40, 1234);
  c.next_u32();
  RandomStream d = c;
  EXPECT_EQ(c.next_u64(), d.next_u64());
}

// Streams made in any order, read interleaved or one after another, give the
// same numbers: nothing is shared between streams (thread/scheduling safety).
TEST(PhiloxStream, IndependentOfConstructionAndReadOrder) {
  constexpr int kDraws = 4;
  constexpr int kSteps = 5;
  constexpr int kCells = 6;
  std::vector<std::vector<std::uint64_t>> forward;
  for (int d = 0; d < kDraws; ++d) {
    for (int s = 0; s < kSteps; ++s) {
      for (int c = 0; c < kCells; ++c) {
        forward.push_back(first_words(RandomStream(kSeed, d, Stream::noise, s, c), 9));
      }
    }
  }
  std::vector<RandomStream> streams;
  for (int i = kDraws * kSteps * kCells - 1; i >= 0; --i) {  // reverse order
    const int c = i % kCells;
    const int s = (i / kCells) % kSteps;
    const int d = i / (kCells * kSteps);
    streams.emplace_back(kSeed, d, Stream::noise, s, c);
  }
  std::vector<std::vector<std::uint64_t>> interleaved(streams.size());
  for (int k = 0; k < 9; ++k) {
    for (std::size_t j = 0; j < streams.size(); ++j) {
      interleaved[j].push_back(streams[j].next_u64());
    }
  }
  for (std::size_t j = 0; j < streams.size(); ++j) {
    EXPECT_EQ(interleaved[j], forward[forward.size() - 1 - j]) << "stream " << j;
  }
}

// Every field of the name changes the stream: no two of 16,384 named
// streams (and no two of their first eight words) coincide.
TEST(PhiloxStream, DistinctNamesGiveDistinctStreams) {
  std::set<std::uint64_t> seen;
  std::size_t count = 0;
  for (const std::uint64_t seed : {kSeed, kSeed + 1, kSeed + (std::uint64_t{1} << 32)}) {
    for (std::uint64_t draw = 0; draw < 8; ++draw) {
      for (const Stream kind : {Stream::parameters, Stream::noise}) {
        for (std::uint32_t step = 0; step < 8; ++step) {
          for (std::uint32_t cell = 0; cell < 40; ++cell) {
            RandomStream s(seed, draw, kind, step, cell);
            for (int k = 0; k < 8; ++k) {
              seen.insert(s.next_u64());
              ++count;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(seen.size(), count);
}

// Neighbouring cells, steps and draws are uncorrelated: the sample
// correlation of paired uniforms over N pairs is within 4 / sqrt(N) of 0.
TEST(PhiloxStream, NeighbouringStreamsUncorrelated) {
  constexpr int kPairs = 20000;
  const std::array<std::array<int, 3>, 3> offsets = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (const auto& off : offsets) {
    double sxy = 0.0;
    for (int i = 0; i < kPairs; ++i) {
      const auto u = static_cast<std::uint32_t>(i);
      RandomStream a(kSeed, 3, Stream::noise, 7, u);
      RandomStream b(kSeed, 3 + off[0], Stream::noise, 7 + off[1], u + off[2]);
      sxy += (a.uniform() - 0.5) * (b.uniform() - 0.5);
    }
    const double correlation = sxy / kPairs * 12.0;
    EXPECT_LT(std::abs(correlation), 4.0 / std::sqrt(kPairs));
  }
}

// uniform() lies on the 2^-53 grid strictly inside (0, 1), with mean 1/2
// and each of the 32 bits of next_u32() set half the time (4 SE).
TEST(PhiloxStream, UniformOpenIntervalAndBitBalance) {
  static_assert((0x1p53 - 1.0) * kUniformSpacing < 1.0);
  static_assert(1.0 * kUniformSpacing > 0.0);
  RandomStream s(kSeed, 0, Stream::parameters, 1, 2);
  constexpr int kN = 1000000;
  double lo = 1.0;
  double hi = 0.0;
  double sum = 0.0;
  for (int i = 0; i < kN; ++i) {
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    ASSERT_EQ(std::floor(u * 0x1p53), u * 0x1p53);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  EXPECT_LT(std::abs(sum / kN - 0.5), 4.0 * std::sqrt(1.0 / 12.0 / kN));
  std::array<int, 32> ones{};
  constexpr int kWords = 200000;
  for (int i = 0; i < kWords; ++i) {
    const std::uint32_t w = s.next_u32();
    for (int b = 0; b < 32; ++b) {
      ones[static_cast<std::size_t>(b)] += static_cast<int>((w >> b) & 1U);
    }
  }
  for (const int n : ones) {
    EXPECT_LT(std::abs(n - kWords / 2.0), 4.0 * std::sqrt(kWords / 4.0));
  }
}

TEST(PhiloxStream, RejectsDrawAndBlockOutOfRange) {
  EXPECT_THROW(RandomStream(1, std::uint64_t{1} << 32, Stream::noise, 0, 0), std::out_of_range);
  EXPECT_NO_THROW(RandomStream(1, (std::uint64_t{1} << 32) - 1, Stream::noise, 0, 0));
  RandomStream s(1, 0, Stream::noise, 0, 0);
  EXPECT_THROW(s.seek(kBlocksPerStream), std::out_of_range);
  s.seek(kBlocksPerStream - 1);
  for (int i = 0; i < 4; ++i) {
    s.next_u32();
  }
  EXPECT_THROW(s.next_u32(), std::length_error);
}

// floor(x) + Bernoulli(x - floor(x)): only the two neighbours occur and the
// mean is x within 4 SE, SE = sqrt(f (1 - f) / N), over many amounts.
TEST(StochasticRound, MeanIsExact) {
  constexpr int kN = 40000;
  for (const double x : {0.0, 0.25, 3.5, 7.999, 12.0, 2158.3, -1.75, 1e-3}) {
    RandomStream s(kSeed, 5, Stream::noise, 2, static_cast<std::uint32_t>(std::abs(x) * 1000));
    const double whole = std::floor(x);
    const double frac = x - whole;
    double sum = 0.0;
    for (int i = 0; i < kN; ++i) {
      const auto n = stochastic_round(s, x);
      ASSERT_TRUE(static_cast<double>(n) == whole || static_cast<double>(n) == whole + 1.0) << x;
      sum += static_cast<double>(n);
    }
    const double se = std::sqrt(frac * (1.0 - frac) / kN);
    EXPECT_LE(std::abs(sum / kN - x), 4.0 * se + 1e-12) << x;
  }
  RandomStream s(kSeed, 0, Stream::noise, 0, 0);
  EXPECT_FALSE(bernoulli(s, 0.0));
  EXPECT_TRUE(bernoulli(s, 1.0));
  EXPECT_THROW(stochastic_round(s, std::nan("")), std::invalid_argument);
}

// Hamilton's method: exact total, every entry within 1 of its quota, ties
// to the lower index, zero entries stay zero.
TEST(LargestRemainder, SumsExactlyToTotal) {
  RandomStream s(kSeed, 9, Stream::parameters, 0, 0);
  for (int trial = 0; trial < 500; ++trial) {
    const std::size_t k = 1 + static_cast<std::size_t>(s.next_u32() % 60);
    std::vector<double> x(k);
    for (double& xi : x) {
      xi = s.uniform() < 0.2 ? 0.0 : 100.0 * s.uniform();
    }
    x[s.next_u32() % k] = 1.0;  // not all zero
    const auto total = static_cast<std::int64_t>(s.next_u32() % 3000);
    std::vector<std::int64_t> out(k);
    largest_remainder(x, total, out);
    double sum_x = 0.0;
    for (const double xi : x) {
      sum_x += xi;
    }
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const double quota = x[i] * static_cast<double>(total) / sum_x;
      EXPECT_LT(std::abs(static_cast<double>(out[i]) - quota), 1.0);
      if (x[i] == 0.0) {
        EXPECT_EQ(out[i], 0);
      }
      sum += out[i];
    }
    ASSERT_EQ(sum, total);
  }
  std::vector<std::int64_t> out(3);
  largest_remainder(std::vector<double>{1.0, 1.0, 1.0}, 2, out);
  EXPECT_EQ(out, (std::vector<std::int64_t>{1, 1, 0}));
  largest_remainder(std::vector<double>{2.6, 0.0, 1.4}, 4, out);
  EXPECT_EQ(out, (std::vector<std::int64_t>{3, 0, 1}));
}

}  // namespace
}  // namespace staffsim::random
