// Step 0, the birthday (DESIGN.md 2.2): in the first step after each census
// point everyone moves up one year of age; those who pass max_age leave as
// aged_out. Trainees age with the rest (DESIGN.md 2.4).
#include "model.hpp"

namespace staffsim::detail {

void apply_birthday(const Model& m, Eigen::ArrayXd& H, std::vector<Eigen::ArrayXd>& pipeline,
                    Ledger& ledger) {
  const Dimensions& d = m.sc.dims;
  for (int r = 0; r < m.R; ++r) {
    for (int s = 0; s < m.S; ++s) {
      const std::size_t b = d.block(r, s);
      double* block = H.data() + b;
      double out = 0.0;
      for (int k = 0; k < m.K; ++k) out += block[(m.A - 1) * m.K + k];
      ledger.leave(d.rs(r, s), Leave::aged_out) += out;
      // Shift ages up by one: row a takes row a-1; the youngest age empties.
      for (int a = m.A - 1; a >= 1; --a) {
        for (int k = 0; k < m.K; ++k) block[a * m.K + k] = block[(a - 1) * m.K + k];
      }
      for (int k = 0; k < m.K; ++k) block[k] = 0.0;
    }
  }
  // Trainees past max_age leave the pipeline (they never join the workforce).
  for (auto& T : pipeline) {
    const Eigen::Index stages = T.size() / m.A;
    for (Eigen::Index j = 0; j < stages; ++j) {
      double* row = T.data() + j * m.A;
      for (int a = m.A - 1; a >= 1; --a) row[a] = row[a - 1];
      row[0] = 0.0;
    }
  }
}

}  // namespace staffsim::detail
