"""The peer of `make bench-peer-train`: PyTorch training and inference of the same VGG13, timed in turns with ours.

Each round runs our `bench` (a separate JVM: a training step is `VggTraining.fit` on one batch, Adam,
dropout 0.5, after a JIT warm-up; inference is its forward pass) and then times the same in this process: Adam (lr 1e-3) on cross-entropy, the model in training mode, one
batch of random images held in memory, --warmup untimed steps then --iterations timed ones; inference is
the model in eval mode under no_grad on the same batch. Rounds alternate so that both sides see the same
state of the machine; the summary is the median over rounds and the ratio ours / peer in images per
second (above 1: ours is faster).

Needs torch (Debian's python3-torch 1.13 is the reference); nothing is installed from here.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

# OpenBLAS's own threads otherwise compete with OpenMP's for the two cores
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

try:
    import torch
    from torch import nn
except ImportError as missing:
    sys.exit(f"bench-peer-train: {sys.executable} cannot import {missing.name}; it needs torch (set PEER_PYTHON)")

from fair_blas import require_optimised_blas, require_same_threads
from vgg13 import CLASSES, Vgg13

OURS = re.compile(r"^(train|inference)\s+batch (\d+): ([0-9.]+) images/s")


def images_per_second(step, batch, warmup, iterations):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    return batch * iterations / (time.perf_counter() - start)


def time_peer(batch, warmup, iterations):
    model = Vgg13()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = nn.CrossEntropyLoss()
    x = torch.rand(batch, 3, 32, 32)
    y = torch.arange(batch) % CLASSES

    def train_step():
        optimizer.zero_grad()
        loss(model(x), y).backward()
        optimizer.step()

    model.train()
    train = images_per_second(train_step, batch, warmup, iterations)
    model.eval()
    with torch.no_grad():
        infer = images_per_second(lambda: model(x), batch, warmup, iterations)
    return {"train": train, "inference": infer}


def time_ours(command, threads):
    out = subprocess.run(command, shell=True, check=True, capture_output=True, text=True).stdout
    require_same_threads(out, threads, "bench-peer-train")
    rows = {m.group(1): float(m.group(3)) for m in map(OURS.match, out.splitlines()) if m}
    if set(rows) != {"train", "inference"}:
        sys.exit("bench-peer-train: no training and inference figures in the output of: " + command + "\n" + out)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True, help="the shell command that runs our bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if min(args.rounds, args.batch, args.iterations, args.threads) < 1 or args.warmup < 0:
        sys.exit("bench-peer-train: --rounds, --batch, --iterations and --threads must be >= 1, --warmup >= 0")
    torch.set_num_threads(args.threads)
    blas = require_optimised_blas(torch, "bench-peer-train")
    torch.manual_seed(0)
    print(f"peer: torch {torch.__version__}, {torch.get_num_threads()} threads, batch {args.batch}, BLAS {blas}", flush=True)

    ours, peer = [], []
    for r in range(args.rounds):
        ours.append(time_ours(args.ours, args.threads))
        peer.append(time_peer(args.batch, args.warmup, args.iterations))
        print(f"round {r + 1}: " + ", ".join(f"{k} ours {ours[-1][k]:.1f} peer {peer[-1][k]:.1f} images/s" for k in ("train", "inference")),
              flush=True)

    print(f"\nmedian over {args.rounds} rounds, images/s at batch {args.batch}; ratio = ours / peer (above 1: ours is faster)")
    print(f"{'':<10} {'ours':>8} {'peer':>8} {'ratio':>7}")
    for k in ("train", "inference"):
        o = statistics.median(r[k] for r in ours)
        p = statistics.median(r[k] for r in peer)
        print(f"{k:<10} {o:>8.1f} {p:>8.1f} {o / p:>7.2f}")


if __name__ == "__main__":
    main()
