#include "kooplab/koopman/saved_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/kernel_model.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/npy.hpp"

namespace kooplab {
namespace {

using nlohmann::json;
// What save_model writes keeps its keys in the order given: format and version first.
using OrderedJson = nlohmann::ordered_json;

const std::map<std::string, Kernel::Type>& kernel_types() {
  static const std::map<std::string, Kernel::Type> types = {{"gaussian", Kernel::Type::gaussian},
                                                            {"laplacian", Kernel::Type::laplacian},
                                                            {"polynomial", Kernel::Type::polynomial}};
  return types;
}

// A config section as JSON, scalars as the config's text.
OrderedJson yaml_json(const YAML::Node& node) {
  if (node.IsMap()) {
    OrderedJson out = OrderedJson::object();
    for (const auto& item : node) out[item.first.Scalar()] = yaml_json(item.second);
    return out;
  }
  if (node.IsSequence()) {
    OrderedJson out = OrderedJson::array();
    for (const auto& item : node) out.push_back(yaml_json(item));
    return out;
  }
  if (node.IsScalar()) return node.Scalar();
  return nullptr;
}

class Writer {
 public:
  explicit Writer(std::filesystem::path folder) : folder_(std::move(folder)) {}
  template <class Matrix>
  void array(const std::string& name, const Matrix& values, bool as_vector = false) const {
    write_file_atomic(folder_ / (name + ".npy"), npy_bytes(values, as_vector));
  }

 private:
  std::filesystem::path folder_;
};

// The map's JSON, its arrays written under `prefix`; null (and `missing` set)
// for a kind the format does not store.
OrderedJson save_map(const EigenfunctionMap& map, const std::string& prefix, const Writer& write,
                     std::string& missing) {
  if (const auto* projected = dynamic_cast<const ProjectedEigenfunctions*>(&map)) {
    write.array(prefix + ".basis", projected->basis());
    write.array(prefix + ".coefficients", projected->coefficients());
    return {{"type", "projected"}};
  }
  if (const auto* kernel_map = dynamic_cast<const KernelEigenfunctions*>(&map)) {
    const Kernel& kernel = kernel_map->kernel();
    const auto type = std::find_if(kernel_types().begin(), kernel_types().end(),
                                   [&](const auto& entry) { return entry.second == kernel.type; });
    write.array(prefix + ".centres", kernel_map->centres());
    write.array(prefix + ".coefficients", kernel_map->coefficients());
    return {{"type", "kernel"},
            {"kernel",
             {{"type", type->first},
              {"length_scale", kernel.length_scale},
              {"degree", kernel.degree},
              {"offset", kernel.offset}}}};
  }
  if (const auto* delay = dynamic_cast<const DelayEigenfunctions*>(&map)) {
    OrderedJson inner = save_map(*delay->windows(), prefix + ".inner", write, missing);
    if (inner.is_null()) return nullptr;
    return {{"type", "delay"}, {"state_dim", delay->state_dim()}, {"delays", delay->delays()}, {"inner", inner}};
  }
  if (const auto* reordered = dynamic_cast<const ReorderedEigenfunctions*>(&map)) {
    OrderedJson inner = save_map(*reordered->inner(), prefix + ".inner", write, missing);
    if (inner.is_null()) return nullptr;
    return {{"type", "reordered"},
            {"order", std::vector<arma::uword>(reordered->order().begin(), reordered->order().end())},
            {"inner", inner}};
  }
  missing = fmt::format(
      "format {} stores projected, kernel, delay and reordered eigenfunctions; this model's (e.g. an observable "
      "plugin's dictionary or a tensor train) are not stored",
      saved_model_version);
  return nullptr;
}

// Reads the arrays and JSON of one folder; every error names the file.
class FolderReader {
 public:
  explicit FolderReader(std::filesystem::path folder) : folder_(std::move(folder)) {}

  std::string header_file() const { return (folder_ / "model.json").string(); }

  arma::mat real(const std::string& name) const { return read_npy(bytes(name), file(name)); }
  arma::cx_mat complex(const std::string& name) const { return read_npy_complex(bytes(name), file(name)); }
  arma::cx_vec complex_vector(const std::string& name, arma::uword length) const {
    const arma::cx_mat values = complex(name);
    if (values.n_cols != 1 || values.n_rows != length)
      fail(name, fmt::format("expected {} values, got {} × {}", length, values.n_rows, values.n_cols));
    return values.col(0);
  }
  void expect_shape(const std::string& name, const arma::uword rows, const arma::uword cols, arma::uword want_rows,
                    arma::uword want_cols) const {
    if (rows != want_rows || cols != want_cols)
      fail(name, fmt::format("expected shape {} × {}, got {} × {}", want_rows, want_cols, rows, cols));
  }
  [[noreturn]] void fail(const std::string& name, const std::string& what) const {
    throw DataError(fmt::format("{}: {}", file(name), what));
  }
  [[noreturn]] void fail_header(const std::string& what) const {
    throw DataError(fmt::format("{}: {}", header_file(), what));
  }

 private:
  std::string file(const std::string& name) const { return (folder_ / (name + ".npy")).string(); }
  std::string bytes(const std::string& name) const {
    const std::filesystem::path path = folder_ / (name + ".npy");
    if (!std::filesystem::is_regular_file(path))
      throw DataError(fmt::format("{}: missing (the saved model's header names it)", path.string()));
    return read_file(path);
  }

  std::filesystem::path folder_;
};

// A map taking states of `input_dim` rows to `rows` eigenfunction rows (any
// number when not given: the inner map of a reordered one).
std::shared_ptr<const EigenfunctionMap> load_map(const json& node, const std::string& prefix, arma::uword input_dim,
                                                 std::optional<arma::uword> rows, const FolderReader& read) {
  const std::string type = node.at("type").get<std::string>();
  if (type == "projected") {
    arma::mat basis = read.real(prefix + ".basis");
    arma::cx_mat coefficients = read.complex(prefix + ".coefficients");
    read.expect_shape(prefix + ".basis", basis.n_rows, basis.n_cols, input_dim, basis.n_cols);
    read.expect_shape(prefix + ".coefficients", coefficients.n_rows, coefficients.n_cols,
                      rows.value_or(coefficients.n_rows), basis.n_cols);
    return std::make_shared<ProjectedEigenfunctions>(std::move(basis), std::move(coefficients));
  }
  if (type == "kernel") {
    const json& settings = node.at("kernel");
    const auto kind = kernel_types().find(settings.at("type").get<std::string>());
    if (kind == kernel_types().end())
      read.fail_header(fmt::format("unknown kernel type '{}'", settings.at("type").get<std::string>()));
    Kernel kernel;
    kernel.type = kind->second;
    kernel.length_scale = settings.at("length_scale").get<double>();
    kernel.degree = settings.at("degree").get<arma::uword>();
    kernel.offset = settings.at("offset").get<double>();
    if (!(kernel.length_scale > 0) || kernel.degree < 1 || !(kernel.offset >= 0))
      read.fail_header("kernel settings out of range (length_scale > 0, degree ≥ 1, offset ≥ 0)");
    arma::mat centres = read.real(prefix + ".centres");
    arma::cx_mat coefficients = read.complex(prefix + ".coefficients");
    read.expect_shape(prefix + ".centres", centres.n_rows, centres.n_cols, input_dim, centres.n_cols);
    read.expect_shape(prefix + ".coefficients", coefficients.n_rows, coefficients.n_cols, centres.n_cols,
                      rows.value_or(coefficients.n_cols));
    return std::make_shared<KernelEigenfunctions>(kernel, std::move(centres), std::move(coefficients));
  }
  if (type == "delay") {
    const auto state_dim = node.at("state_dim").get<arma::uword>(), delays = node.at("delays").get<arma::uword>();
    if (state_dim != input_dim || delays < 1)
      read.fail_header(
          fmt::format("delay eigenfunctions of states of dimension {} with {} delays in a model of "
                      "dimension {} (delays ≥ 1)",
                      state_dim, delays, input_dim));
    return std::make_shared<DelayEigenfunctions>(
        load_map(node.at("inner"), prefix + ".inner", state_dim * delays, rows, read), state_dim, delays);
  }
  if (type == "reordered") {
    const auto order = node.at("order").get<std::vector<arma::uword>>();
    auto inner = load_map(node.at("inner"), prefix + ".inner", input_dim, std::nullopt, read);
    const arma::uword inner_rows = inner->evaluate(arma::zeros(input_dim, 1)).n_rows;
    if ((rows && order.size() != *rows) ||
        std::any_of(order.begin(), order.end(), [&](arma::uword row) { return row >= inner_rows; }))
      read.fail_header(
          fmt::format("reordered eigenfunctions: an order of {} rows (the model has {}) from an inner "
                      "map of {} rows",
                      order.size(), rows.value_or(order.size()), inner_rows));
    return std::make_shared<ReorderedEigenfunctions>(std::move(inner), arma::uvec(order));
  }
  read.fail_header(fmt::format("unknown eigenfunction type '{}'", type));
}

}  // namespace

void save_model(const KoopmanModel& model, const std::filesystem::path& folder, const YAML::Node& estimator) {
  std::filesystem::create_directories(folder);
  const Writer write(folder);
  write.array("eigenvalues", arma::cx_mat(model.eigenvalues), true);
  write.array("modes", model.modes);
  write.array("amplitudes", arma::cx_mat(model.amplitudes), true);
  write.array("residuals", arma::mat(model.residuals), true);
  write.array("koopman_matrix", model.koopman_matrix);
  OrderedJson header = {{"format", saved_model_format},
                        {"version", saved_model_version},
                        {"estimator", yaml_json(estimator)},
                        {"state_dim", model.modes.n_rows},
                        {"rank", model.rank()},
                        {"dt", model.dt ? OrderedJson(*model.dt) : OrderedJson(nullptr)},
                        {"diagnostics", model.diagnostics}};
  std::string missing = "the fit gave no eigenfunctions";
  header["eigenfunctions"] =
      model.eigenfunctions ? save_map(*model.eigenfunctions, "eigenfunctions", write, missing) : OrderedJson(nullptr);
  if (header["eigenfunctions"].is_null()) header["eigenfunctions_missing"] = missing;
  // The header last: a folder with a header has every array it names.
  write_file_atomic(folder / "model.json", header.dump(2) + "\n");
}

LoadedModel load_model(const std::filesystem::path& folder) {
  const FolderReader read(folder);
  if (!std::filesystem::is_regular_file(folder / "model.json"))
    read.fail_header("no saved model here (save one with the spectrum application's save_model: true)");
  LoadedModel loaded;
  try {
    loaded.header = json::parse(read_file(folder / "model.json"));
  } catch (const json::exception& e) {
    read.fail_header(fmt::format("not valid JSON ({})", e.what()));
  }
  const json& header = loaded.header;
  try {
    if (!header.is_object() || header.value("format", "") != saved_model_format)
      read.fail_header(fmt::format("not a saved kooplab model (its \"format\" is not \"{}\")", saved_model_format));
    const int version = header.at("version").get<int>();
    if (version != saved_model_version)
      read.fail_header(fmt::format("format version {}; this kooplab reads version {}", version, saved_model_version));
    const auto n = header.at("state_dim").get<arma::uword>(), r = header.at("rank").get<arma::uword>();
    KoopmanModel& model = loaded.model;
    model.eigenvalues = read.complex_vector("eigenvalues", r);
    model.modes = read.complex("modes");
    read.expect_shape("modes", model.modes.n_rows, model.modes.n_cols, n, r);
    model.amplitudes = read.complex_vector("amplitudes", r);
    const arma::mat residuals = read.real("residuals");
    if (residuals.n_cols != 1 || (residuals.n_rows != r && residuals.n_rows != 0))
      read.fail("residuals",
                fmt::format("expected {} values or none, got {} × {}", r, residuals.n_rows, residuals.n_cols));
    model.residuals = residuals.col(0);
    model.koopman_matrix = read.complex("koopman_matrix");
    if (!model.koopman_matrix.is_square()) read.fail("koopman_matrix", "not square");
    const json& dt = header.at("dt");
    if (!dt.is_null()) {
      model.dt = dt.get<double>();
      if (!(*model.dt > 0)) read.fail_header("dt must be positive or null");
    }
    model.diagnostics = header.at("diagnostics").get<std::map<std::string, double>>();
    const json& eigenfunctions = header.at("eigenfunctions");
    if (eigenfunctions.is_null())
      loaded.eigenfunctions_missing = header.value("eigenfunctions_missing", "not saved");
    else
      model.eigenfunctions = load_map(eigenfunctions, "eigenfunctions", n, r, read);
  } catch (const json::exception& e) {
    read.fail_header(fmt::format("malformed header ({})", e.what()));
  }
  return loaded;
}

}  // namespace kooplab
