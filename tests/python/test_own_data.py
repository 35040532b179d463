"""Bring your own data: files written with numpy as researchers write them,
analysed by `kooplab run`, and read back with python/kooplab_results.py.

Usage: test_own_data.py KOOPLAB_EXECUTABLE SOURCE_DIR WORK_DIR
Exits 77 (ctest: skipped) when numpy is missing.
"""

import json
import os
import shutil
import subprocess
import sys

try:
    import numpy
except ImportError:
    print("numpy is missing (Debian: python3-numpy): skipped")
    sys.exit(77)

kooplab, source, work = sys.argv[1:4]
sys.path.insert(0, os.path.join(source, "python"))
import kooplab_results  # noqa: E402

shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def run(name, config):
    """Runs `config` (a YAML text) into WORK/name; returns its runs."""
    path = os.path.join(work, name + ".yaml")
    with open(path, "w") as out:
        out.write(config)
    out_dir = os.path.join(work, "results", name)
    process = subprocess.run([kooplab, "run", path, "--out", out_dir, "--jobs", "1"], capture_output=True, text=True)
    if process.returncode not in (0, 1):
        print(process.stdout, process.stderr)
        raise SystemExit(f"kooplab run {name} exited with {process.returncode}")
    return kooplab_results.load(out_dir)


def close(found, expected, tolerance):
    """Eigenvalues equal as sets, within `tolerance`."""
    found = numpy.sort_complex(numpy.asarray(found, dtype=complex).ravel())
    expected = numpy.sort_complex(numpy.asarray(expected, dtype=complex))
    return found.shape == expected.shape and numpy.max(numpy.abs(found - expected)) < tolerance


# --- Trajectories of x' = A x with the known eigenvalues 0.9 and 0.8 ± 0.3i. ---
A = numpy.array([[0.9, 0.0, 0.0], [0.0, 0.8, -0.3], [0.0, 0.3, 0.8]])
truth = [0.9, 0.8 + 0.3j, 0.8 - 0.3j]
rng = numpy.random.default_rng(7)


def trajectory(steps=20):
    states = [rng.standard_normal(3)]
    for _ in range(steps - 1):
        states.append(A @ states[-1])
    return numpy.array(states)  # steps × states: snapshots as rows


def spectrum_config(dataset):
    return f"dataset: {dataset}\nestimator: {{name: dmd, rank: 3}}\napplication: {{name: spectrum}}\n"


files = os.path.join(work, "files")
os.makedirs(files)
one = trajectory()
numpy.save(os.path.join(files, "rows_f8.npy"), one)
numpy.save(os.path.join(files, "columns_f4_big_fortran.npy"), numpy.asfortranarray(one.T.astype(">f4")))
numpy.savez(os.path.join(files, "two.npz"), first=trajectory(), second=trajectory())
numpy.savez_compressed(os.path.join(files, "stack.npz"), runs=numpy.stack([trajectory() for _ in range(3)]))
cases = [
    ("rows_f8", "{name: npy, path: files/rows_f8.npy}", 1e-10),
    ("columns_f4", "{name: npy, path: files/columns_f4_big_fortran.npy, layout: columns}", 1e-4),
    ("npz_stored", "{name: npy, path: files/two.npz, arrays: [second, first]}", 1e-10),
    ("npz_deflated_3d", "{name: npy, path: files/stack.npz}", 1e-10),
]
for name, dataset, tolerance in cases:
    runs = run(name, spectrum_config(dataset))
    check(len(runs) == 1 and runs[0].ok, f"{name}: the run succeeds ({runs[0].error if runs else 'no run'})")
    if runs and runs[0].ok:
        check(close(runs[0].array("eigenvalues"), truth, tolerance), f"{name}: DMD finds 0.9, 0.8 ± 0.3i")

# The same files read a block of snapshots at a time: edmd's Gram sums and
# streaming_dmd give the in-memory spectrum.
for name, dataset, tolerance in cases:
    for fitter, estimator in [("edmd", "{name: edmd, method: gram}\nobservable: {name: identity}"),
                              ("streaming_dmd", "{name: streaming_dmd}")]:
        runs = run(f"{name}_blocks_{fitter}",
                   f"dataset: {dataset}\nestimator: {estimator}\napplication: {{name: spectrum, in_memory: false}}\n")
        check(len(runs) == 1 and runs[0].ok and close(runs[0].array("eigenvalues"), truth, tolerance),
              f"{name}, read in blocks, {fitter}: 0.9, 0.8 ± 0.3i "
              f"({runs[0].error if runs else 'no run'})")

# Hostile files: every error names the file and the fault.
with open(os.path.join(files, "stack.npz"), "rb") as whole:
    data = whole.read()
with open(os.path.join(files, "cut.npz"), "wb") as cut:
    cut.write(data[: len(data) // 2])
numpy.save(os.path.join(files, "integers.npy"), numpy.arange(12, dtype="<i8").reshape(4, 3))
with open(os.path.join(files, "rows_f8.npy"), "rb") as whole:
    npy = whole.read()
with open(os.path.join(files, "short.npy"), "wb") as short:
    short.write(npy[:-5])
for name, expected in [
    ("cut.npz", "cut.npz: not a readable zip archive: no end-of-directory record"),
    ("integers.npy", "integers.npy: dtype '<i8' is not read"),
    ("short.npy", "short.npy: truncated .npy data: shape (20, 3) needs 480 bytes, the file has 475"),
]:
    runs = run("bad_" + name.replace(".", "_"), spectrum_config(f"{{name: npy, path: files/{name}}}"))
    check(len(runs) == 1 and not runs[0].ok and expected in runs[0].error,
          f"{name}: fails with '{expected}' (got '{runs[0].error if runs else ''}')")

# --- A training run recorded the way the README's PyTorch snippet records it. ---
# Two linear layers; every weight converges to its fixed point w* at its
# layer's rate: w_t = w* + r^t (w_0 − w*), r = 0.9 for fc1, 0.6 for fc2. The
# trajectory spans w*, and the two layers' offsets: eigenvalues 1, 0.9, 0.6.
shapes = {"fc1.weight": (4, 3), "fc1.bias": (4,), "fc2.weight": (2, 4), "fc2.bias": (2,)}
rate = {"fc1": 0.9, "fc2": 0.6}
steps = 30
start = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
fixed = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
history = {name: [] for name in shapes}  # the snippet's dictionary of lists
for t in range(steps):
    for name in shapes:
        r = rate[name.split(".")[0]]
        history[name].append(fixed[name] + r**t * (start[name] - fixed[name]))
numpy.savez(os.path.join(files, "weights.npz"), **{name: numpy.stack(values) for name, values in history.items()})
# One file per step in float32, as PyTorch's tensors are.
os.makedirs(os.path.join(files, "steps"))
for t in range(steps):
    numpy.savez(os.path.join(files, "steps", f"{t:05d}.npz"),
                **{name: values[t].astype(numpy.float32) for name, values in history.items()})
flat = numpy.concatenate([numpy.stack(values).reshape(steps, -1) for values in history.values()], axis=1)
recordings = [("weights_npz", "files/weights.npz"), ("weights_folder", "files/steps")]
try:  # the README's HDF5 lines, when h5py is installed
    import h5py
except ImportError:
    print("skip  the HDF5 recording: python3-h5py is not installed")
else:
    named_shapes = numpy.zeros((len(shapes), 4), dtype=numpy.int64)
    for i, shape in enumerate(shapes.values()):
        named_shapes[i, : len(shape)] = shape
    with h5py.File(os.path.join(files, "weights.h5"), "w") as f:
        f["parameters"] = flat
        f["names"] = list(shapes)
        f["shapes"] = named_shapes
    recordings.append(("weights_h5", "files/weights.h5"))

for name, path in recordings:
    runs = run("monitor_" + name, f"""dataset: {{name: weight_trajectory, path: {path}}}
estimator: {{name: dmd, rank: 3}}
application: {{name: spectrum_monitor, checkpoints: [10, 29]}}
""")
    check(runs[0].ok, f"spectrum_monitor on {name} succeeds ({runs[0].error})")
    if runs[0].ok:
        for k in (10, 29):
            check(close(runs[0].array(f"eigenvalues_at_{k}"), [1.0, 0.9, 0.6], 1e-3),
                  f"spectrum_monitor on {name}: eigenvalues 1, 0.9, 0.6 at step {k}")
        check(runs[0].metrics["epochs"] == 29, f"spectrum_monitor on {name}: 29 steps analysed")

runs = run("pruning", """dataset: {name: weight_trajectory, path: files/weights.npz}
estimator: {name: dmd, rank: 3}
application: {name: koopman_pruning, epochs: 20, fraction: 0.25, cluster: 0.01}
""")
check(runs[0].ok, f"koopman_pruning (analysis) succeeds ({runs[0].error})")
if runs[0].ok:
    check(abs(runs[0].metrics["one_eigenvalue"] - 1) < 1e-3, "koopman_pruning: the eigenvalue nearest 1 is 1")
    mask = runs[0].array("pruned")
    smallest = numpy.argsort(numpy.abs(runs[0].array("rebuilt")), kind="stable")[:6]  # ⌊0.25 · 26⌋
    check(mask.shape == (flat.shape[1],) and sorted(numpy.flatnonzero(mask)) == sorted(smallest),
          "koopman_pruning: the 6 parameters of smallest rebuilt |w| are pruned")
    check(runs[0].metrics["rank"] == 3, "koopman_pruning: rank 3")

for blocks in ("layer", "node", "network"):
    runs = run("koopman_training_" + blocks, f"""dataset: {{name: weight_trajectory, path: files/weights.npz}}
application: {{name: koopman_training, record_from: 0, switch_at: 12, horizon: 15, blocks: {blocks}}}
""")
    check(runs[0].ok, f"koopman_training fit ({blocks} blocks) succeeds ({runs[0].error})")
    if runs[0].ok:
        # Each block's weights follow w* + r^t d exactly: Ũ_b reproduces the recording.
        check(runs[0].metrics["weight_error"] < 1e-9,
              f"koopman_training ({blocks}): evolved weights match the recording (weight_error "
              f"{runs[0].metrics['weight_error']:.2e})")
        expected_blocks = {"layer": 2, "node": 6, "network": 1}[blocks]
        check(runs[0].metrics["blocks"] == expected_blocks, f"koopman_training ({blocks}): {expected_blocks} blocks")

# What recorded weights cannot give, named in the run's error.
for name, config, expected in [
    ("pruning_past_end", """dataset: {name: weight_trajectory, path: files/weights.npz}
estimator: {name: dmd, rank: 3}
application: {name: koopman_pruning, epochs: 40, fraction: 0.25}
""", "epochs is 40, but the recorded weights end at step 29"),
    ("training_no_layout", """dataset: {name: npy, path: files/rows_f8.npy}
application: {name: koopman_training, switch_at: 5, horizon: 3, blocks: layer}
""", "layer and node blocks need the layout of the recorded tensors"),
    ("monitor_stop", """dataset: {name: weight_trajectory, path: files/weights.npz}
estimator: {name: dmd, rank: 3}
application: {name: spectrum_monitor, stop: spectrum}
""", "without a network section only observe: weights, without stop or verdicts, applies"),
]:
    runs = run(name, config)
    check(len(runs) == 1 and not runs[0].ok and expected in runs[0].error,
          f"{name}: fails with '{expected}' (got '{runs[0].error if runs else ''}')")

# --- A network trained elsewhere: an MLP's parameters as PyTorch's state dict. ---
# nn.Sequential(Linear(4, 8), ReLU, Linear(8, 8), ReLU, Linear(8, 3)) on Yin-Yang's
# four inputs: weights (outputs, inputs) as nn.Linear holds them, float32.
sizes = [4, 8, 8, 3]
state = {}
for k in range(len(sizes) - 1):
    state[f"{2 * k}.weight"] = rng.standard_normal((sizes[k + 1], sizes[k])).astype(numpy.float32)
    state[f"{2 * k}.bias"] = rng.standard_normal(sizes[k + 1]).astype(numpy.float32)
numpy.savez(os.path.join(files, "mlp_state.npz"), **state)
numpy.savez(os.path.join(files, "mlp_keras.npz"),  # (inputs, outputs) kernels: the other convention
            **{name: (value.T if value.ndim == 2 else value) for name, value in state.items()})


def numpy_forward(inputs):
    """The network in numpy, one sample per column, float64."""
    h = inputs
    for k in range(len(sizes) - 1):
        h = state[f"{2 * k}.weight"].astype(float) @ h + state[f"{2 * k}.bias"].astype(float)[:, None]
        if k < len(sizes) - 2:
            h = numpy.maximum(h, 0)
    return h


loaded_network = "network: {name: mlp, layers: [4, 8, 8, 3], weights: files/mlp_state.npz}\n"
runs = run("loaded_mlp", "dataset: {name: yinyang}\n" + loaded_network +
           "application: {name: train, epochs: 0, predictions: true}\n")
check(runs[0].ok, f"train (epochs: 0) on the loaded mlp succeeds ({runs[0].error})")
if runs[0].ok:
    inputs, prediction = runs[0].array("test_inputs"), runs[0].array("test_prediction")
    difference = numpy.max(numpy.abs(prediction - numpy_forward(inputs)))
    check(prediction.shape == (3, inputs.shape[1]) and difference < 1e-12,
          f"the loaded mlp's outputs are numpy's forward pass (max difference {difference:.1e})")
    loaded_train_loss = runs[0].metrics["train_loss"]
    accuracy = numpy.mean(numpy.argmax(prediction, 0) == numpy.argmax(runs[0].array("test_targets"), 0))
    check(abs(runs[0].metrics["test_accuracy"] - accuracy) < 1e-15, "train: the loaded mlp's test accuracy")
    runs = run("loaded_linearization", "dataset: {name: yinyang}\n" + loaded_network + """application:
  name: layer_linearization
  after: 1
  insert: {blocks: 3, epochs: 2, batch_size: 1000}
  trajectories: 50
  delays: 2
  rank: 20
""")
    check(runs[0].ok and abs(runs[0].metrics["original_test_accuracy"] - accuracy) < 1e-15,
          f"layer_linearization without a train section analyses the loaded mlp ({runs[0].error})")
    runs = run("loaded_compression", "dataset: {name: yinyang}\n" + loaded_network + """observable:
  {name: polynomial, degree: 1, constant: true}
application: {name: koopman_compression, replace: {from: 1, to: 2}, samples: 200}
""")
    check(runs[0].ok and abs(runs[0].metrics["original_test_accuracy"] - accuracy) < 1e-15
          and "narrow_width" not in runs[0].metrics,
          f"koopman_compression without a train section analyses the loaded mlp ({runs[0].error})")
    runs = run("loaded_monitor", "dataset: {name: yinyang}\n" + loaded_network + """estimator: {name: dmd, rank: 3}
application: {name: spectrum_monitor, epochs: 3, batch_size: 0, optimizer: {name: sgd, lr: 0.01}}
""")
    # Its loss before the first step is the loaded network's.
    check(runs[0].ok and abs(runs[0].array("train_loss")[0] - loaded_train_loss) < 1e-12,
          f"spectrum_monitor trains on from the loaded mlp ({runs[0].error})")

for name, network, application, expected in [
    ("loaded_transposed", "{name: mlp, layers: [4, 8, 8, 3], weights: files/mlp_keras.npz}", "{name: train, epochs: 0}",
     "mlp_keras.npz: parameters for network 'mlp': array 0 '0.weight' (the network's '0.weight'): "
     "expected shape (8, 4) from the network's config, found (4, 8) (transposed"),
    ("loaded_wrong_sizes", "{name: mlp, layers: [4, 8, 3], weights: files/mlp_state.npz}", "{name: train, epochs: 0}",
     "the file has 6 arrays, the network's config 4 tensors"),
    ("not_loaded", "{name: mlp, layers: [4, 8, 8, 3]}", "{name: layer_linearization, after: 1}",
     "without a train section the network must be loaded"),
    ("monitor_without_optimizer", "{name: mlp, layers: [4, 8, 8, 3]}",
     "{name: spectrum_monitor, epochs: 2}\nestimator: {name: dmd, rank: 2}",
     "application 'spectrum_monitor': optimizer: is required, this run trains the network"),
]:
    runs = run(name, f"dataset: {{name: yinyang}}\nnetwork: {network}\napplication: {application}\n")
    check(len(runs) == 1 and not runs[0].ok and expected in runs[0].error,
          f"{name}: fails with '{expected}' (got '{runs[0].error if runs else ''}')")

# A train section that trains without an optimizer is a config error, found before any run.
path = os.path.join(work, "train_without_optimizer.yaml")
with open(path, "w") as out:
    out.write("dataset: {name: yinyang}\nnetwork: {name: mlp, layers: [4, 8, 3]}\n"
              "application: {name: train, epochs: 2}\n")
process = subprocess.run([kooplab, "run", path, "--out", os.path.join(work, "results", "no_optimizer")],
                         capture_output=True, text=True)
expected = "train_without_optimizer.yaml:3:14: application.optimizer: is required: the network trains for epochs > 0"
check(process.returncode == 2 and expected in process.stderr,
      f"train without an optimizer: a config error ({process.stderr.strip()})")

# --- The results reader. ---
runs = kooplab_results.load(os.path.join(work, "results", "rows_f8"))
model = kooplab_results.model(runs[0])
check(model.modes.shape == (3, 3) and close(model.eigenvalues, truth, 1e-10), "kooplab_results.model: modes 3 × 3")
# A mode times its eigenvalue is A times the mode: the modes are eigenvectors of A.
check(numpy.allclose(A @ model.modes, model.modes * model.eigenvalues.ravel(), atol=1e-9),
      "kooplab_results.model: A ξ = λ ξ for every mode")
rows = kooplab_results.records(runs)
check(rows[0]["rank"] == 3 and rows[0]["status"] == "ok", "kooplab_results.records: flat rows")
with open(os.path.join(runs[0].folder, "record.json")) as record:
    check(json.load(record)["metrics"] == runs[0].metrics, "kooplab_results.load: the metrics of record.json")
sweep = run("sweep", spectrum_config("{name: npy, path: files/rows_f8.npy}") + "sweep: {grid: {estimator.rank: [1, 2, 3]}}\n")
check([r.params["estimator.rank"] for r in sweep] == [1, 2, 3], "kooplab_results.load: swept values as numbers")
# --- Saved models: spectrum saves them, `predict` and kooplab_results.load_model evaluate them. ---
for name, estimator in [("saved_delay", "{name: delay_dmd, delays: 2, inner: {name: dmd_rrr, order: amplitude}}"),
                        ("saved_kernel", "{name: kernel_edmd, kernel: polynomial, degree: 1, rank: 4}")]:
    fitted = run(name, f"dataset: {{name: npy, path: files/rows_f8.npy}}\nestimator: {estimator}\n"
                       "application: {name: spectrum, save_model: true}\n")[0]
    saved = kooplab_results.load_model(fitted)
    found = all(numpy.min(numpy.abs(saved.eigenvalues - value)) < 1e-8 for value in truth)
    check(numpy.array_equal(saved.eigenvalues, fitted.array("eigenvalues")) and found,
          f"{name}: load_model has the run's eigenvalues, A's among them")
    folder = os.path.abspath(os.path.join(fitted.folder, "model"))
    evaluated = run(name + "_predict", f"dataset: {{name: npy, path: files/rows_f8.npy}}\n"
                                       f"application: {{name: predict, model: '{folder}', horizon: 10}}\n")[0]
    delays = saved.header["diagnostics"].get("delays", 1)
    start = one[:int(delays)].reshape(-1)  # the first window [x_0; …; x_{d−1}], or x_0
    ours = saved.predict(start, 10)
    check(evaluated.ok and numpy.allclose(ours, evaluated.array("prediction"), rtol=0, atol=1e-10),
          f"{name}: load_model(...).predict is the predict application's prediction")
    check(numpy.allclose(ours[:, 1:], one[int(delays):int(delays) + 10].T, atol=1e-8),
          f"{name}: the prediction follows the trajectory")
    check(evaluated.metrics["prediction_error"] < 1e-8, f"{name}: predict's prediction_error at round-off")
check(kooplab_results.load_model(fitted).header["estimator"]["kernel"] == "polynomial",
      "load_model: the estimator's config in the header")

try:
    import pandas  # noqa: F401
    frame = kooplab_results.dataframe(sweep)
    check(list(frame["rank"]) == [1.0, 2.0, 3.0], "kooplab_results.dataframe: one row per run")
except ImportError:
    print("skip  kooplab_results.dataframe (pandas is missing)")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
