// DESIGN.md 6 and 8: in deterministic mode Simulation::step() allocates
// nothing. This binary replaces the global allocation functions with ones
// that count calls while a flag is set, and steps a scenario in which every
// flow, need-based demand with levers, costs and census recording are active.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
// These deletes pair with the mallocs above; GCC cannot see that the global
// operator new was replaced and warns of a mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace staffsim {
namespace {

using testing::blank_scenario;

Scenario busy_scenario() {
  Scenario sc = blank_scenario(3, 2, 4, 16, 74, 5000.0, 2010, 2022);
  sc.turnover.base.setConstant(0.2);
  sc.turnover.tenure_factor.col(0) = 2.0;
  for (int a = 40; a < sc.dims.n_ages(); ++a) sc.retirement.q.col(a) = 0.05;
  for (int rs = 0; rs < sc.dims.n_role_sectors(); ++rs) {
    const Role r = rs / 2;
    const Sector s = rs % 2;
    DestinationSplit split;
    split.exit_share = 0.5;
    split.moves.push_back({MoveKind::same_sector, r, s, 0.3});
    split.moves.push_back({MoveKind::to_sector, r, 1 - s, 0.2});
    sc.destinations[static_cast<std::size_t>(rs)] = split;
  }
  sc.promotion.push_back({"up", 0, 1, 0.2, 1, {}});
  sc.promotion.push_back({"top", 1, 2, 0.1, 2, {}});
  testing::add_source_at_age(sc, "young", 5, 100.0);
  for (auto& rule : sc.recruitment) {
    rule.mode = RecruitMode::fill_vacancies;
    rule.fill_rate = 0.8;
  }
  sc.programmes.push_back(testing::make_programme(sc, "course", 2, 3, 40.0, 4));
  // Need-based demand: one client group, two services, growing population.
  sc.demand.mode = DemandMode::need;
  NeedDemand& need = sc.demand.need;
  need.client_groups = {"older"};
  need.services = {"home", "residential"};
  need.age_groups = {AgeGroup{"65+", 65, 120, YearPath{{2010, 2022}, {1000, 1500}}}};
  need.prevalence = Eigen::ArrayXXd::Constant(1, 1, 0.5);
  need.mix.resize(1, 2);
  need.mix << 0.6, 0.4;
  need.ratio.setConstant(2, 3, 0.5);
  need.provider.setConstant(2, 2, 0.5);
  sc.demand.opening_vacancy_rate.setConstant(3, 2, 0.05);
  Lever personal = testing::constant_lever("personal", LeverType::personalisation, 0.7);
  personal.to_service = 0;
  personal.from_services = {1};
  personal.path = LeverPath{PathShape::linear, 2012, 2020, 0.6, 0.7};
  sc.levers.push_back(personal);
  Lever retain = testing::constant_lever("retain", LeverType::retention, 0.9);
  retain.path = LeverPath{PathShape::logistic, 2011, 2018, 1.0, 0.8};
  sc.levers.push_back(retain);
  sc.costs.price_base_year = 2010;
  sc.costs.pay.setConstant(3, 2, 20000.0);
  sc.costs.cost_per_hire.setConstant(3, 2, 3600.0);
  sc.costs.agency_share.setConstant(3, 2, 0.3);
  sc.costs.agency_premium.setConstant(3, 2, 1.4);
  return sc;
}

TEST(Allocation, DeterministicStepAllocatesNothing) {
  Simulation sim(busy_scenario());
  sim.step();  // the first step may warm caches; it must not allocate either
  long total = 0;
  while (!sim.finished()) {
    g_allocations = 0;
    g_counting = true;
    sim.step();
    g_counting = false;
    total += g_allocations.load();
  }
  EXPECT_EQ(total, 0) << "allocations inside step() over the run";
  // The run really exercised the flows the test is about.
  const YearResult& y = sim.results().at_year(2020);
  double promoted = 0.0;
  double hires = 0.0;
  for (int rs = 0; rs < sim.dims().n_role_sectors(); ++rs) {
    promoted += y.flows.leave(rs, Leave::promoted);
    hires += y.flows.start(rs, Start::hire);
  }
  EXPECT_GT(promoted, 0.0);
  EXPECT_GT(hires, 0.0);
  EXPECT_GT(y.pay_bill.sum(), 0.0);
}

// The counter works: an allocation while counting is seen.
TEST(Allocation, CounterSeesAnAllocation) {
  g_allocations = 0;
  g_counting = true;
  auto* p = new int(3);
  g_counting = false;
  delete p;
  EXPECT_EQ(g_allocations.load(), 1);
}

}  // namespace
}  // namespace staffsim
