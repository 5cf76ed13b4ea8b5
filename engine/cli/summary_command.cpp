// `staffsim summary` and `staffsim compare` (DESIGN.md 5): parse the options,
// read the results files, print what the library formats.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/results_reader.hpp"
#include "staffsim/summary.hpp"

namespace po = boost::program_options;

namespace staffsim::cli {

namespace {

// The options summary and compare share; `files` is the positional list.
struct TableOptions {
  std::vector<std::string> files;
  SummaryOptions summary;
};

TableOptions parse_table_options(const std::vector<std::string>& args, const std::string& command,
                                 const std::string& usage, int n_files) {
  po::options_description opts(usage);
  TableOptions out;
  std::string by = "total";
  std::string format = "table";
  opts.add_options()("files", po::value(&out.files)->required(), "results files")(
      "year", po::value<int>(), "one census year (default: every year)")(
      "by", po::value(&by), "role, sector or total (default)")(
      "format", po::value(&format), "table (default, 80 columns), csv or json")(
      "observed", po::bool_switch(),
      "multiply stocks, flows and money by the coverage stored in the file");
  po::positional_options_description pos;
  pos.add("files", n_files);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  po::notify(vm);
  if (static_cast<int>(out.files.size()) != n_files) {
    throw UsageError(command + ": expected " + std::to_string(n_files) + " results file" +
                     (n_files > 1 ? "s" : ""));
  }
  out.summary.by = parse_grouping(by);
  out.summary.format = parse_table_format(format);
  out.summary.observed = vm["observed"].as<bool>();
  if (vm.count("year") != 0) out.summary.year = vm["year"].as<int>();
  return out;
}

}  // namespace

int summary_command(const std::vector<std::string>& args) {
  const TableOptions o =
      parse_table_options(args, "summary",
                          "staffsim summary RESULTS.h5 [--year Y] [--by role|sector|total] "
                          "[--format table|csv|json] [--observed]",
                          1);
  std::cout << format_summary(read_results_file(o.files[0]), o.summary);
  return 0;
}

int compare_command(const std::vector<std::string>& args) {
  const TableOptions o =
      parse_table_options(args, "compare",
                          "staffsim compare A.h5 B.h5 [--year Y] [--by role|sector|total] "
                          "[--format table|csv|json] [--observed]",
                          2);
  const ResultsFile a = read_results_file(o.files[0]);
  const ResultsFile b = read_results_file(o.files[1]);
  std::cout << format_comparison(a, b, o.summary);
  return 0;
}

}  // namespace staffsim::cli
