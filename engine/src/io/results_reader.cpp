// Reads the HDF5 results file back (docs/results-format.md): identity first
// (filetype, major version), then every variable the summary needs, each
// checked against the dimensions it should have.
#include "staffsim/results_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "io/hdf5_file.hpp"
#include "io/results_variables.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/ledger.hpp"

namespace staffsim {

namespace {

using io::h5::Group;
using Size = io::h5::Shape::value_type;

// Refuses a file that is not ours, or whose major version we do not know,
// before reading anything else.
void check_identity(const Group& root, ResultsFileInfo& info) {
  const std::string& path = info.path;
  if (!root.has_attribute("filetype")) {
    throw IoError(path + ": not a staffsim results file (it has no 'filetype' attribute)");
  }
  const std::string filetype = root.read_text_attribute("filetype");
  if (filetype != io::kFiletype) {
    throw IoError(path + ": not a staffsim results file (filetype is '" + filetype +
                  "', expected '" + io::kFiletype + "')");
  }
  info.format_version = root.has_attribute("format_version")
                            ? root.read_text_attribute("format_version")
                            : std::string("(missing)");
  const std::string& v = info.format_version;
  int major = -1;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), major);
  if (ec != std::errc() || (end != v.data() + v.size() && *end != '.')) {
    throw IoError(path + ": format_version '" + v + "' is not major.minor");
  }
  if (major != kResultsFormatMajor) {
    throw IoError(path + ": results format version " + v + " is not supported: staffsim " +
                  STAFFSIM_VERSION + " reads version " + std::to_string(kResultsFormatMajor) +
                  ".x" + (major > kResultsFormatMajor ? " (use a newer staffsim)" : ""));
  }
}

void read_info(const Group& root, ResultsFileInfo& info) {
  info.staffsim_version = root.read_text_attribute("staffsim_version");
  info.git_sha = root.read_text_attribute("git_sha");
  info.created_utc = root.read_text_attribute("created_utc");
  info.scenario_name = root.read_text_attribute("scenario_name");
  info.seed = static_cast<std::uint64_t>(root.read_number_attribute("seed"));
  info.draws = static_cast<int>(root.read_number_attribute("draws"));
  info.stochastic = root.read_number_attribute("stochastic") != 0.0;
  info.steps_per_year = static_cast<int>(root.read_number_attribute("steps_per_year"));
  info.coverage = root.read_number_attribute("coverage");
}

std::string shape_text(const io::h5::Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

// A variable's values after checking its shape is `expected`.
std::vector<double> read_values(const Group& g, const std::string& name,
                                const io::h5::Shape& expected) {
  const io::h5::Dataset ds = g.open_dataset(name);
  if (ds.shape() != expected) {
    throw IoError(ds.where() + ": shape " + shape_text(ds.shape()) + ", expected " +
                  shape_text(expected) + " (corrupt file?)");
  }
  return ds.read_doubles();
}

// Reads (year, role, sector[, extra]) variables into each year's arrays.
class YearReader {
 public:
  // `suffix`: "_mean" reads an ensemble's means into the annual results.
  YearReader(const Group& root, Results& results, std::string suffix)
      : root_(root),
        suffix_(std::move(suffix)),
        results_(results),
        years_(results.years.size()),
        roles_(static_cast<Size>(results.dims.n_roles())),
        sectors_(static_cast<Size>(results.dims.n_sectors())),
        rs_(roles_ * sectors_) {}

  void cells(const std::string& name, Eigen::ArrayXd YearResult::*member) const {
    const std::vector<double> v = read_values(root_, name + suffix_, {years_, roles_, sectors_});
    for (Size y = 0; y < years_; ++y) {
      results_.years[y].*member =
          Eigen::Map<const Eigen::ArrayXd>(v.data() + y * rs_, static_cast<Eigen::Index>(rs_));
    }
  }

  // Per year an (RS, n) table from a (year, role, sector, n) variable.
  std::vector<Eigen::ArrayXXd> table(const std::string& name, Size n) const {
    const std::vector<double> v = read_values(root_, name + suffix_, {years_, roles_, sectors_, n});
    std::vector<Eigen::ArrayXXd> out;
    for (Size y = 0; y < years_; ++y) {
      Eigen::ArrayXXd t(static_cast<Eigen::Index>(rs_), static_cast<Eigen::Index>(n));
      for (Size rs = 0; rs < rs_; ++rs) {
        for (Size x = 0; x < n; ++x) t(rs, x) = v[(y * rs_ + rs) * n + x];
      }
      out.push_back(std::move(t));
    }
    return out;
  }

  void programmes(const std::string& name, Eigen::ArrayXd YearResult::*member) const {
    const Size n = results_.programme_names.size();
    const std::vector<double> v = read_values(root_, name + suffix_, {years_, n});
    for (Size y = 0; y < years_; ++y) {
      results_.years[y].*member =
          Eigen::Map<const Eigen::ArrayXd>(v.data() + y * n, static_cast<Eigen::Index>(n));
    }
  }

 private:
  const Group& root_;
  std::string suffix_;
  Results& results_;
  Size years_;
  Size roles_;
  Size sectors_;
  Size rs_;
};

std::vector<std::string> labels(const Group& root, const std::string& dim) {
  return root.open_dataset(dim).read_strings();
}

// Ledger columns by label, so the order in the file does not matter.
template <typename Kind>
Eigen::ArrayXXd by_kind(const Group& root, const std::string& dim, const Eigen::ArrayXXd& table,
                        int n_kinds) {
  const std::vector<std::string> names = labels(root, dim);
  Eigen::ArrayXXd out(table.rows(), n_kinds);
  for (int k = 0; k < n_kinds; ++k) {
    const auto it = std::find(names.begin(), names.end(), to_string(static_cast<Kind>(k)));
    if (it == names.end()) {
      throw IoError(root.where() + dim + ": label '" +
                    std::string(to_string(static_cast<Kind>(k))) + "' is missing");
    }
    out.col(k) = table.col(it - names.begin());
  }
  return out;
}

AgeBands read_bands(const Group& root, const std::string& dim) {
  AgeBands bands;
  bands.labels = labels(root, dim);
  const std::vector<std::int32_t> lo = root.open_dataset(dim + "_min_age").read_ints();
  const std::vector<std::int32_t> hi = root.open_dataset(dim + "_max_age").read_ints();
  if (lo.size() != bands.labels.size() || hi.size() != bands.labels.size()) {
    throw IoError(root.where() + dim + ": band limits do not match the labels (corrupt file?)");
  }
  for (std::size_t b = 0; b < lo.size(); ++b) bands.ranges.emplace_back(lo[b], hi[b]);
  return bands;
}

void read_dimensions(const Group& root, Results& r) {
  r.dims.roles = labels(root, "role");
  r.dims.sectors = labels(root, "sector");
  r.dims.min_age = static_cast<int>(root.read_number_attribute("min_age"));
  r.dims.max_age = static_cast<int>(root.read_number_attribute("max_age"));
  r.dims.tenure_edges = root.open_dataset("tenure_band_lower_edge").read_doubles();
  r.source_names = labels(root, "source");
  r.programme_names = labels(root, "programme");
  r.client_groups = labels(root, "client_group");
  r.age_band = read_bands(root, "age_band");
  r.age_band_nmds = read_bands(root, "age_band_nmds");
  r.price_base_year = static_cast<int>(root.read_number_attribute("price_base_year"));
  r.posts_by_construction = root.read_number_attribute("posts_by_construction") != 0.0;
  const std::vector<std::int32_t> years = root.open_dataset("year").read_ints();
  for (std::size_t y = 0; y < years.size(); ++y) {
    YearResult yr;
    yr.year = years[y];
    yr.recorded = true;
    yr.has_flows = y > 0;
    r.years.push_back(std::move(yr));
  }
}

void read_years(const Group& root, ResultsFile& file) {
  Results& r = file.results;
  const YearReader read(root, r, file.info.draws_dimension ? "_mean" : "");
  read.cells("headcount", &YearResult::headcount);
  read.cells("fte", &YearResult::fte);
  read.cells("posts", &YearResult::posts);
  read.cells("posts_hc", &YearResult::posts_hc);
  read.cells("vacancies", &YearResult::vacancies);
  read.cells("retirement_outlook_5", &YearResult::retirement_outlook_5);
  read.cells("retirement_outlook_10", &YearResult::retirement_outlook_10);
  read.cells("unfilled_requests", &YearResult::unfilled_requests);
  read.cells("pay_bill", &YearResult::pay_bill);
  read.cells("recruitment_cost", &YearResult::recruitment_cost);
  read.cells("vacancy_cover_cost", &YearResult::vacancy_cover_cost);
  read.programmes("trainees", &YearResult::trainees);
  read.programmes("completers", &YearResult::completers);
  read.programmes("training_cost", &YearResult::training_cost);
  const auto tenure = read.table("tenure_profile", r.dims.tenure_edges.size());
  const auto groups = read.table("posts_by_client_group", r.client_groups.size());
  const auto leavers = read.table("leavers_by_destination", kLeaveKinds);
  const auto starters = read.table("starters_by_origin", kStartKinds);
  const auto hires = read.table("hires_by_source", r.source_names.size());
  file.age_profile = read.table("age_profile", r.age_band.labels.size());
  file.age_profile_nmds = read.table("age_profile_nmds", r.age_band_nmds.labels.size());
  for (std::size_t y = 0; y < r.years.size(); ++y) {
    YearResult& yr = r.years[y];
    yr.tenure_profile = tenure[y];
    yr.posts_by_client_group = groups[y];
    yr.flows.leavers = by_kind<Leave>(root, "destination", leavers[y], kLeaveKinds);
    yr.flows.starters = by_kind<Start>(root, "origin", starters[y], kStartKinds);
    yr.flows.hires_by_source = hires[y];
  }
}

// An ensemble's core set per draw, as float32 (draw, year, role, sector).
void read_per_draw(const Group& root, ResultsFile& file) {
  const Size draws = root.open_dataset("draw").shape().at(0);
  const Results& r = file.results;
  const io::h5::Shape shape{draws, r.years.size(), static_cast<Size>(r.dims.n_roles()),
                            static_cast<Size>(r.dims.n_sectors())};
  for (const std::string& name : core_variable_names()) {
    const io::h5::Dataset ds = root.open_dataset(name);
    if (ds.shape() != shape) {
      throw IoError(ds.where() + ": shape " + shape_text(ds.shape()) + ", expected " +
                    shape_text(shape) + " (corrupt file?)");
    }
    const std::vector<double> v = ds.read_doubles();
    file.per_draw.push_back(DrawVariable{
        name, {"year", "role", "sector"}, "", "", std::vector<float>(v.begin(), v.end())});
  }
  file.info.draws = static_cast<int>(draws);
}

void read_provenance(const Group& root, ResultsFile& file) {
  const Group prov = root.open_group("provenance");
  const std::vector<std::string> yaml = prov.open_dataset("scenario_yaml").read_strings();
  file.scenario_yaml = yaml.empty() ? "" : yaml.front();
  const std::vector<std::string> inputs = prov.open_dataset("input").read_strings();
  const std::vector<std::string> digests = prov.open_dataset("sha256").read_strings();
  if (inputs.size() != digests.size()) {
    throw IoError(prov.where() + ": inputs and digests differ in number (corrupt file?)");
  }
  for (std::size_t i = 0; i < inputs.size(); ++i)
    file.input_sha256.emplace_back(inputs[i], digests[i]);
}

}  // namespace

ResultsFile read_results_file(const std::filesystem::path& path) {
  ResultsFile file;
  file.info.path = path.string();
  io::h5::File h5 = io::h5::File::open(path);
  const Group& root = h5.root();
  check_identity(root, file.info);
  read_info(root, file.info);
  read_dimensions(root, file.results);
  file.info.draws_dimension = root.has("draw");
  read_years(root, file);
  if (file.info.draws_dimension) read_per_draw(root, file);
  read_provenance(root, file);
  h5.close();
  return file;
}

}  // namespace staffsim
