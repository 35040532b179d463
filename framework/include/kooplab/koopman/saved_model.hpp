#pragma once
// Saved Koopman models: a fitted KoopmanModel as a folder of .npy arrays and a
// JSON header, so that a model fitted in one run predicts on new data in
// another (application `predict`), or in Python with numpy alone
// (python/kooplab_results.py, load_model).
//
// Format version 1, a folder holding:
//   model.json          {"format": "kooplab.koopman_model", "version": 1,
//                        "estimator": the estimator's config section (scalars as text),
//                        "state_dim": n, "rank": r, "dt": Δt or null,
//                        "diagnostics": {name: number},
//                        "eigenfunctions": a map (below) or null,
//                        "eigenfunctions_missing": why not (only when null)}
//   eigenvalues.npy     complex128 (r,)    λ_i, discrete time
//   modes.npy           complex128 (n, r)
//   amplitudes.npy      complex128 (r,)
//   residuals.npy       float64 (r,) or (0,)
//   koopman_matrix.npy  complex128 (k, k)
// An eigenfunction map is a JSON object with a "type"; its arrays are files
// named by its place in the tree, "eigenfunctions.<array>.npy" for the top
// map, "eigenfunctions.inner.<array>.npy" for the map inside it, and so on:
//   projected  φ(X) = C Pᵀ X: "basis" P float64 (n, k), "coefficients" C complex128 (r, k)
//   kernel     φ(X) = Cᵀ k(Z, X): "kernel" {"type": gaussian | laplacian | polynomial,
//              "length_scale", "degree", "offset"} (kooplab/koopman/kernel.hpp),
//              "centres" Z float64 (n, p), "coefficients" C complex128 (p, r)
//   delay      "state_dim" n, "delays" d and the "inner" map of windows
//              [x_{t−d+1}; …; x_t] (n·d rows); it takes windows, or
//              consecutive states each standing for the window that ends at
//              it (kooplab/koopman/delay_embedding.hpp)
//   reordered  row i is row "order"[i] of the "inner" map (a permutation or a selection)
// Eigenfunctions of another kind (an observable plugin's dictionary, a tensor
// train) are not stored: the header says so, and the loaded model has the
// spectrum, modes and amplitudes (reconstruct) but no eigenfunctions
// (predict and advance throw).
//
// Arrays are Fortran-ordered .npy files and JSON numbers are written to round
// trip, so a loaded model holds the fitted model's numbers bit for bit and
// predicts bit for bit as it does.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kooplab/koopman_model.hpp"

namespace kooplab {

inline constexpr int saved_model_version = 1;
inline constexpr const char* saved_model_format = "kooplab.koopman_model";

// Writes `model` into `folder` (created; files in it are replaced), with the
// estimator's config section in the header.
void save_model(const KoopmanModel& model, const std::filesystem::path& folder, const YAML::Node& estimator);

struct LoadedModel {
  KoopmanModel model;
  nlohmann::json header;                              // model.json as read
  std::optional<std::string> eigenfunctions_missing;  // why the model has no eigenfunctions
};

// Reads a folder written by save_model. Throws DataError naming the file for
// a missing or unreadable file, another format or version, and arrays whose
// shapes do not fit together.
LoadedModel load_model(const std::filesystem::path& folder);

}  // namespace kooplab
