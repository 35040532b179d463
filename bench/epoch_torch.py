#!/usr/bin/env python3
"""PyTorch anchor of bench_cnn and bench_training: seconds of training epochs
with Adam and softmax cross-entropy on random 28x28 images, at one thread, of
  cnn: the CNN of koopman-mode-analysis.md (conv 5x5x16, relu, pool 2,
       conv 5x5x32, relu, pool 2, dense 100, relu, dense 10);
  mlp: the 784-100-10 relu MLP of bench_training.
Prints one line: "<dtype> <CPU seconds per epoch>" for each dtype asked, the
fastest of `repeats` epochs.

Usage: epoch_torch.py NETWORK SAMPLES BATCH REPEATS DTYPE...   (NETWORK: cnn, mlp; DTYPE: float64, float32)
"""
import sys
import time

import torch


NETWORKS = {
    "cnn": lambda: torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(512, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10)),
    "mlp": lambda: torch.nn.Sequential(
        torch.nn.Flatten(), torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10)),
}


def epoch_seconds(network, samples, batch, repeats, dtype):
    torch.manual_seed(0)
    inputs = torch.rand(samples, 1, 28, 28, dtype=dtype)
    labels = torch.randint(0, 10, (samples,))
    model = NETWORKS[network]().to(dtype)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = torch.nn.CrossEntropyLoss()
    best = float("inf")
    for _ in range(repeats):
        order = torch.randperm(samples)
        start = time.process_time()
        for first in range(0, samples, batch):
            rows = order[first:first + batch]
            optimizer.zero_grad()
            loss(model(inputs[rows]), labels[rows]).backward()
            optimizer.step()
        best = min(best, time.process_time() - start)
    return best


def main():
    network = sys.argv[1]
    samples, batch, repeats = (int(a) for a in sys.argv[2:5])
    torch.set_num_threads(1)
    for name in sys.argv[5:]:
        print(name, epoch_seconds(network, samples, batch, repeats, getattr(torch, name)), flush=True)


if __name__ == "__main__":
    main()
