#!/usr/bin/env bash
# Installs the Debian packages kooplab needs, only those that are missing.
# Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  ccache  # cheap rebuilds after small edits
  libarmadillo-dev libopenblas-dev liblapack-dev
  libyaml-cpp-dev libboost-dev libboost-filesystem-dev libtbb-dev
  libcli11-dev libfmt-dev nlohmann-json3-dev doctest-dev zlib1g-dev
  libsvm-dev  # ε-SVR for the hierarchical SVR
  npm dataset-fashion-mnist
  python3  # the out-of-tree plugin check builds a plugin with it
  gnuplot-nox  # the figures of `kooplab report` (PNG through cairo, SVG)
  time  # GNU time: peak memory of scripts/run-experiment.sh
  libhdf5-dev  # the hdf5 dataset (HDF5's C API)
  python3-numpy  # tests writing .npy/.npz files as researchers do; python/kooplab_results.py
  python3-h5py  # the test that runs the README's HDF5 recording lines
  libopenmpi-dev openmpi-bin  # kooplab run --launcher mpi (mpirun, srun)
  clang libclang-rt-dev  # libFuzzer and the sanitizers of scripts/fuzz.sh
)

missing=()
for package in "${packages[@]}"; do
  # npm may come with a Node.js installed outside Debian's packages.
  if [[ $package == npm ]] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
