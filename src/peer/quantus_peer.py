"""The peer of `make bench-peer-evaluate`: Quantus' own metrics on the same model, images and maps as our `bench-evaluate`, timed in turns.

Each round runs our `bench-evaluate` (a separate JVM, which waits for its JIT compiler and reports the
median of its rounds) and then times Quantus' MaxSensitivity, RandomLogit and MPRT in this process on
the report's VGG13 with the shipped weights and the first --images CIFAR-10 test images, explained for
their labels by saliency (|d logit / d x| per channel value, Captum's Saliency in plain autograd).
The work is made equal where Quantus lets it be:
- max-sensitivity: 10 noisy copies per image, uniform noise in [-0.02, 0.02], Frobenius norms, the
  method re-run on every copy; no normalisation, no absolute value (ours: the same).
- class randomization (RandomLogit): one random other class per image, SSIM of the two maps.
- model randomization (MPRT): the layers with parameters randomized cumulatively from the top, the
  method re-run on every stage, Spearman correlation at the end. Quantus also explains every image on
  the original model once more (one extra explanation per image over our 9 stages) and computes no
  SSIM per stage (we do): the work is close to equal, not the same, and the ratio says so.
Seconds per image are the median over --repeats calls after one untimed call; rounds alternate with
ours so both sides see the same state of the machine; the summary is the median over rounds and the
ratio peer / ours (above 1: ours is faster).

Needs torch (1.13 is the reference) and Quantus 0.6 importable (its source on PYTHONPATH, with
python3-scipy, -skimage, -sklearn, -pandas, -matplotlib, -tqdm, -cachetools from Debian).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

try:
    import numpy as np
    import torch
    import quantus
except ImportError as missing:
    sys.exit(f"bench-peer-evaluate: {sys.executable} cannot import {missing.name}; it needs torch and Quantus 0.6 "
             "(set PEER_PYTHON)")

from fair_blas import require_optimised_blas, require_same_threads
from method_parity import vgg13

TOOL = "bench-peer-evaluate"
SENSITIVITY_SAMPLES = 10
SENSITIVITY_RADIUS = 0.02


def saliency(model, inputs, targets, **kwargs):
    """|d logit_target / d x|, the explain_func Quantus re-runs; numpy in, numpy out, as Quantus passes them."""
    x = torch.as_tensor(inputs, dtype=torch.float32).clone().requires_grad_(True)
    y = torch.as_tensor(targets, dtype=torch.long)
    logits = model(x)
    (grad,) = torch.autograd.grad(logits.gather(1, y.view(-1, 1)).sum(), x)
    return grad.abs().numpy()


def quantus_metrics(classes):
    return {
        "max-sensitivity": lambda: quantus.MaxSensitivity(
            nr_samples=SENSITIVITY_SAMPLES, lower_bound=SENSITIVITY_RADIUS, normalise=False, abs=False,
            return_nan_when_prediction_changes=False, disable_warnings=True, display_progressbar=False),
        "class-randomization": lambda: quantus.RandomLogit(
            num_classes=classes, abs=True, normalise=False, disable_warnings=True, display_progressbar=False),
        "model-randomization": lambda: quantus.MPRT(
            layer_order="top_down", return_last_correlation=True, abs=True, normalise=False, disable_warnings=True,
            display_progressbar=False),
    }


def time_peer(model, metrics, x, y, a, repeats):
    """Seconds per image of each metric: the median of --repeats calls after one untimed call."""
    out = {}
    for name, make in metrics.items():
        def call():
            make()(model=model, x_batch=x, y_batch=y, a_batch=a, explain_func=saliency, device="cpu",
                   batch_size=len(x))

        call()
        calls = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            calls.append(time.perf_counter() - start)
        out[name] = statistics.median(calls) / len(x)
    return out


ROW = re.compile(r"^(\S+)\s+([0-9.]+)\s*$")


def time_ours(command, threads):
    out = subprocess.run(command, shell=True, check=True, capture_output=True, text=True).stdout
    require_same_threads(out, threads, TOOL)
    rows = {}
    for line in out.splitlines():
        if line.startswith("JIT warm-up"):
            print("ours: " + line, flush=True)
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = float(match.group(2))
    if not rows:
        sys.exit(f"{TOOL}: no timings in the output of: {command}\n{out}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True, help="the shell command that runs our bench-evaluate")
    parser.add_argument("--vgg13-state", required=True, help="the report's VGG13 as a PyTorch state dict (our state-dict command)")
    parser.add_argument("--cifar", required=True, help="CIFAR-10's test_batch.bin")
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3, help="timed calls per metric and round")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if min(args.images, args.rounds, args.repeats, args.threads) < 1:
        sys.exit(f"{TOOL}: --images, --rounds, --repeats and --threads must be >= 1")

    torch.set_num_threads(args.threads)
    blas = require_optimised_blas(torch, TOOL)
    model, pictures, _ = vgg13(args.vgg13_state, args.cifar, args.images)
    for p in model.parameters():
        p.requires_grad_(False)
    with open(args.cifar, "rb") as f:
        labels = np.frombuffer(f.read(args.images * 3073), dtype=np.uint8).reshape(args.images, 3073)[:, 0].astype(np.int64)
    x = pictures.numpy()
    a = saliency(model, x, labels)
    metrics = quantus_metrics(10)
    print(f"peer: torch {torch.__version__}, quantus {quantus.__version__}, {torch.get_num_threads()} threads, "
          f"{args.images} images, BLAS {blas}", flush=True)

    ours, peer = [], []
    for r in range(args.rounds):
        ours.append(time_ours(args.ours, args.threads))
        missing = sorted(set(metrics) - set(ours[-1]))
        if missing:
            sys.exit(f"{TOOL}: our bench-evaluate printed no timing for {', '.join(missing)}")
        peer.append(time_peer(model, metrics, x, labels, a, args.repeats))
        print(f"round {r + 1}: " + ", ".join(f"{m} ours {ours[-1][m]:.4f} peer {peer[-1][m]:.4f}" for m in metrics), flush=True)

    print(f"\nmedian over {args.rounds} rounds, seconds per image (saliency maps); ratio = peer / ours (above 1: ours is faster)")
    print(f"{'metric':<22} {'ours':>10} {'Quantus':>10} {'ratio':>7}")
    for m in metrics:
        o = statistics.median(r[m] for r in ours)
        p = statistics.median(r[m] for r in peer)
        print(f"{m:<22} {o:>10.4f} {p:>10.4f} {p / o:>7.2f}")


if __name__ == "__main__":
    main()
