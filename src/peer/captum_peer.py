"""The peer of `make bench-peer`: Captum 0.7 on PyTorch, timed on the same model (the VGG13, or a ResNet exported to ONNX), in turns with ours.

Each round runs our `bench-explain` (a separate JVM) and then times the same methods with Captum in
this process, with the same protocol: untimed calls for --warmup seconds, then at least 5 calls over
at least --seconds, the median call reported as seconds per image, one image per call and a batch
of --batch images per call. Rounds alternate so that both sides see the same state of the machine;
the summary is the median over rounds and the ratio peer / ours (above 1: ours is faster).

Needs torch (1.13 is the reference) and captum 0.7 importable; nothing is installed from here.
The peer gets its target class precomputed (the setting of the issue's reference figures); ours
finds the predicted class inside the timed call.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

# OpenBLAS's own threads otherwise compete with OpenMP's for the two cores: with them, the peer's
# single-image saliency took 45 ms here, without them 17 ms (the reference is 19 ms).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

try:
    import captum
    import numpy as np
    import torch
    from torch import nn
except ImportError as missing:
    sys.exit(f"bench-peer: {sys.executable} cannot import {missing.name}; it needs torch and captum 0.7 (set PEER_PYTHON)")

from fair_blas import require_optimised_blas, require_same_threads
from vgg13 import CLASSES, Vgg13

class Block(nn.Module):
    """A ResNet basic block: conv-BN-ReLU-conv-BN plus the input (a strided 1x1 conv + BN when the shape changes), ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = nn.Identity() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.body(x) + self.shortcut(x))


class ResNet(nn.Module):
    """A CIFAR ResNet-14 (three stages of two blocks, 16/32/64 channels), the kind of model a user brings as ONNX."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        blocks, cin = [], 16
        for cout, stride in ((16, 1), (16, 1), (32, 2), (32, 1), (64, 2), (64, 1)):
            blocks.append(Block(cin, cout, stride))
            cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(64, CLASSES)

    def forward(self, x):
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1), 1))

    def cam_layer(self):
        return self.blocks[-1]


def resnet(onnx_path):
    """The ResNet with non-trivial batch-norm statistics, exported to onnx_path for our side."""
    model = ResNet()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    model.eval()
    os.makedirs(os.path.dirname(onnx_path) or ".", exist_ok=True)
    torch.onnx.export(model, torch.rand(1, 3, 32, 32), onnx_path, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    return model


# the layer pytorch-grad-cam and Captum users take for each family, which is also our default CAM layer there
TORCHVISION_CAM_LAYERS = {"resnet": lambda m: m.layer4, "mobilenet": lambda m: m.features[-1], "efficientnet": lambda m: m.features[-1],
                          "vgg": lambda m: m.features[-2], "densenet": lambda m: m.features[-1]}


def torchvision_model(name, onnx_path):
    """A torchvision architecture as zoo_export builds it (random weights, non-trivial batch norms), exported to onnx_path
    for our side with its batch norms folded; Captum runs the model as a user has it, batch norms separate.
    cam_layer() is the layer both sides explain with Grad-CAM."""
    import torchvision
    from zoo_export import fold_batch_norms, randomize_batch_norms

    family = next((f for f in TORCHVISION_CAM_LAYERS if name.startswith(f)), None)
    if family is None:
        sys.exit(f"bench-peer: no Grad-CAM layer known for torchvision's {name}; known families: {sorted(TORCHVISION_CAM_LAYERS)}")
    torch.manual_seed(0)
    net = getattr(torchvision.models, name)(weights=None)
    randomize_batch_norms(net)
    net.eval()
    os.makedirs(os.path.dirname(onnx_path) or ".", exist_ok=True)
    torch.onnx.export(fold_batch_norms(net), torch.rand(1, 3, 224, 224), onnx_path)
    for module in net.modules():
        if isinstance(module, nn.ReLU):
            module.inplace = False  # Captum's ReLU hooks (guided backprop, deconvolution) refuse in-place outputs
    cam = TORCHVISION_CAM_LAYERS[family](net)
    net.cam_layer = lambda: cam
    return net


def peer_methods(model, background, size):
    from captum.attr import (Deconvolution, GradientShap, GuidedBackprop, GuidedGradCam, IntegratedGradients, LayerAttribution,
                             LayerGradCam, NoiseTunnel, Saliency)

    saliency = Saliency(model)
    integrated = IntegratedGradients(model)
    smooth = NoiseTunnel(Saliency(model))
    shap = GradientShap(model)
    cam = LayerGradCam(model, model.cam_layer())
    guided = GuidedBackprop(model)
    deconvolution = Deconvolution(model)
    guided_cam = GuidedGradCam(model, model.cam_layer())

    def grad_cam(x, t):
        return LayerAttribution.interpolate(cam.attribute(x, target=t, relu_attributions=True), (size, size), "bilinear")

    # at 224x224 the images' samples are sent through in chunks of one image's, as a Captum user must to stay in memory
    chunk = {} if size <= 32 else {"internal_batch_size": 50}
    noise_chunk = {} if size <= 32 else {"nt_samples_batch_size": 25}
    return {
        "saliency": lambda x, t: saliency.attribute(x, target=t),
        "integrated-gradients": lambda x, t: integrated.attribute(x, baselines=torch.zeros_like(x), target=t, n_steps=50,
                                                                  method="gausslegendre", **chunk),
        "smoothgrad": lambda x, t: smooth.attribute(x, nt_type="smoothgrad", nt_samples=25, stdevs=0.15, target=t, **noise_chunk),
        "gradient-shap": lambda x, t: shap.attribute(x, baselines=background, n_samples=50, stdevs=0.0, target=t),
        "grad-cam": grad_cam,
        "guided-backprop": lambda x, t: guided.attribute(x, target=t),
        "deconvolution": lambda x, t: deconvolution.attribute(x, target=t),
        "guided-grad-cam": lambda x, t: guided_cam.attribute(x, target=t),
    }


def zennit_methods(model):
    """Zennit's LRP composites (0.5.1 runs on PyTorch 1.13), relevance seeded with the target's logit inside the one pass;
    empty when Zennit is not importable. Hooks are registered per call, as Zennit's examples do around each batch."""
    try:
        from zennit.attribution import Gradient
        from zennit.composites import EpsilonAlpha2Beta1, EpsilonGammaBox, EpsilonPlusFlat, LayerMapComposite, layer_map_base
        from zennit.rules import Epsilon
        from zennit.types import Convolution
    except ImportError:
        return {}
    composites = {
        "lrp-epsilon": LayerMapComposite(layer_map_base() + [(Convolution, Epsilon()), (nn.Linear, Epsilon())]),
        "lrp-epsilon-plus-flat": EpsilonPlusFlat(),
        "lrp-epsilon-gamma-box": EpsilonGammaBox(low=-3.0, high=3.0),
        "lrp-epsilon-alpha2-beta1": EpsilonAlpha2Beta1(),
    }

    def method(composite):
        def attribute(x, t):
            one_hot = nn.functional.one_hot(t, CLASSES).to(x.dtype)
            with Gradient(model=model, composite=composite) as attributor:
                return attributor(x, lambda output: one_hot * output)[1]
        return attribute

    return {name: method(composite) for name, composite in composites.items()}


def grad_cam_methods(model):
    """pytorch-grad-cam's CAM family at the model's CAM layer, called as its users do (its __call__, which also scales
    each map to [0,1] and resizes it with OpenCV, so python3-opencv must be installed); empty when it is not importable."""
    from grad_cam_imports import stub_unused_modules

    stub_unused_modules()
    try:
        from pytorch_grad_cam import (AblationCAM, EigenCAM, EigenGradCAM, FullGrad, GradCAMElementWise, GradCAMPlusPlus,
                                      HiResCAM, LayerCAM, ScoreCAM, XGradCAM)
        from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    except ImportError:
        return {}
    layers = [model.cam_layer()]
    cams = {"grad-cam-plus-plus": GradCAMPlusPlus, "hires-cam": HiResCAM, "grad-cam-element-wise": GradCAMElementWise,
            "xgrad-cam": XGradCAM, "layer-cam": LayerCAM, "eigen-cam": EigenCAM, "eigen-grad-cam": EigenGradCAM,
            "score-cam": ScoreCAM, "ablation-cam": AblationCAM, "full-grad": FullGrad}

    def method(cls):
        def attribute(x, t):
            # made per call, as its examples do with `with`: its hooks stay on the model while it lives and would slow
            # every other method's passes; the frozen weights need an input that asks for gradients
            with cls(model, [] if cls is FullGrad else layers) as cam:
                return cam(x.clone().requires_grad_(True), [ClassifierOutputTarget(int(c)) for c in t])
        return attribute

    return {name: method(cls) for name, cls in cams.items()}


def perturbation_methods(model, size):
    """Captum's FeatureAblation and ShapleyValueSampling (25 permutations) on a 5x5 grid of superpixels, baseline 0 (ours
    is given the same grid), and RISE from its authors' code (eclique/RISE, on PYTHONPATH) with 2,000 masks of 8x8 cells
    kept with probability 0.5 on the model followed by a softmax, our defaults; its masks are drawn once, before the
    timing, as its API has them reused for every image. Empty parts where a reference is not importable."""
    from captum.attr import FeatureAblation, ShapleyValueSampling

    cells = (torch.arange(size) * 5 // size)
    grid = (cells[:, None] * 5 + cells[None, :]).expand(1, 1, size, size)
    ablation, sampling = FeatureAblation(model), ShapleyValueSampling(model)
    methods = {
        "feature-ablation": lambda x, t: ablation.attribute(x, target=t, baselines=0.0, feature_mask=grid.expand(x.shape[0], 1, size, size)),
        "shapley-value-sampling": lambda x, t: sampling.attribute(x, target=t, baselines=0.0, n_samples=25,
                                                                  feature_mask=grid.expand(x.shape[0], 1, size, size)),
    }
    try:
        from rise_reference import draw_masks, explainer
        rise = explainer(model, size)
    except ImportError:
        return methods
    draw_masks(rise, 2000)

    def explain_rise(x, t):
        with torch.no_grad():
            return torch.stack([rise(x[i:i + 1])[t[i]] for i in range(x.shape[0])])

    methods["rise"] = explain_rise
    return methods


def xrai_methods(model):
    """PAIR saliency's XRAI (PAIR-code/saliency on PYTHONPATH) with its defaults, one picture at a time as its API takes
    them, the logit's gradient as its call_model_function, 100 IG steps per call of the model (ours: 64 rows per call).
    Empty where it is not importable."""
    try:
        from saliency.core import xrai as pair_xrai
        from saliency.core.base import INPUT_OUTPUT_GRADIENTS
    except ImportError:
        return {}
    method = pair_xrai.XRAI()

    def explain(x, t):
        maps = []
        for i in range(x.shape[0]):
            target = int(t[i])

            def call(batch, call_model_args=None, expected_keys=None):
                inputs = torch.from_numpy(np.ascontiguousarray(batch.transpose(0, 3, 1, 2))).float().requires_grad_(True)
                (grad,) = torch.autograd.grad(model(inputs)[:, target].sum(), inputs)
                return {INPUT_OUTPUT_GRADIENTS: grad.numpy().transpose(0, 2, 3, 1)}

            maps.append(method.GetMask(x[i].numpy().transpose(1, 2, 0), call, batch_size=100))
        return maps

    return {"xrai": explain}


def seconds_per_image(method, x, target, warmup, seconds, repeats):
    end = time.perf_counter() + warmup
    while True:
        method(x, target)
        if time.perf_counter() >= end:
            break
    calls = []
    end = time.perf_counter() + seconds
    while len(calls) < repeats or time.perf_counter() < end:
        start = time.perf_counter()
        method(x, target)
        calls.append(time.perf_counter() - start)
    return statistics.median(calls) / x.shape[0]


def time_peer(model, methods, images, warmup, seconds, repeats):
    one = images[:1]
    with torch.no_grad():
        target_one = model(one).argmax(1)
        target_batch = model(images).argmax(1)
    return {name: (seconds_per_image(m, one, target_one, warmup, seconds, repeats),
                   seconds_per_image(m, images, target_batch, warmup, seconds, repeats)) for name, m in methods.items()}


ROW = re.compile(r"^(\S+)\s+([0-9.]+)\s+([0-9.]+)\s*$")


def time_ours(command, threads):
    out = subprocess.run(command, shell=True, check=True, capture_output=True, text=True).stdout
    require_same_threads(out, threads, "bench-peer")
    rows = {}
    for line in out.splitlines():
        if line.startswith("JIT warm-up"):
            print("ours: " + line, flush=True)
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    if not rows:
        sys.exit("bench-peer: no timings in the output of: " + command + "\n" + out)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True, help="the shell command that runs our bench-explain")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--model", default="vgg13",
                        help="vgg13: the report's network; resnet: a CIFAR ResNet-14 exported to --onnx for our side; "
                             "torchvision:NAME: that architecture at 224x224, exported to --onnx")
    parser.add_argument("--onnx", default="outputs/bench/resnet14.onnx", help="where the ONNX export for our side goes")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per measurement at least")
    args = parser.parse_args()
    if args.rounds < 1 or args.batch < 1 or args.threads < 1 or args.repeats < 1:
        sys.exit("bench-peer: --rounds, --batch, --threads and --repeats must be >= 1")
    if args.model not in ("vgg13", "resnet") and not args.model.startswith("torchvision:"):
        sys.exit(f"bench-peer: --model must be vgg13, resnet or torchvision:NAME, got {args.model!r}")

    torch.set_num_threads(args.threads)
    blas = require_optimised_blas(torch, "bench-peer")
    torch.manual_seed(42)
    if args.model.startswith("torchvision:"):
        model, size = torchvision_model(args.model.split(":", 1)[1], args.onnx), 224
    else:
        model, size = (Vgg13().eval() if args.model == "vgg13" else resnet(args.onnx)), 32
    for p in model.parameters():
        p.requires_grad_(False)
    background = torch.cat([torch.zeros(1, 3, size, size), torch.rand(15, 3, size, size)])
    images = torch.rand(args.batch, 3, size, size)
    methods = peer_methods(model, background, size)
    if args.model == "vgg13":
        methods.update(zennit_methods(model))
    methods.update(grad_cam_methods(model))
    methods.update(perturbation_methods(model, size))
    methods.update(xrai_methods(model))
    print(f"peer: torch {torch.__version__}, captum {captum.__version__}, {torch.get_num_threads()} threads, {args.model} "
          f"({sum(p.numel() for p in model.parameters()):,} parameters), BLAS {blas}", flush=True)

    ours, peer = [], []
    for r in range(args.rounds):
        ours.append(time_ours(args.ours, args.threads))
        unmatched = sorted(set(ours[-1]) - set(methods))
        if unmatched:
            sys.exit(f"bench-peer: no reference here for {', '.join(unmatched)} (is its library on PYTHONPATH?)")
        # only the methods our side was asked to time (PEER_METHODS)
        methods = {m: f for m, f in methods.items() if m in ours[-1]}
        peer.append(time_peer(model, methods, images, args.warmup, args.seconds, args.repeats))
        print(f"round {r + 1}: " + ", ".join(f"{m} ours {ours[-1].get(m, (float('nan'),))[0]:.4f} peer {peer[-1][m][0]:.4f}"
                                            for m in methods), flush=True)

    print(f"\nmedian over {args.rounds} rounds, seconds per image; ratio = peer / ours (above 1: ours is faster)")
    print(f"{'method':<22} {'ours (1)':>10} {'peer (1)':>10} {'ratio':>7}   {'ours (' + str(args.batch) + ')':>10} "
          f"{'peer (' + str(args.batch) + ')':>10} {'ratio':>7}")
    for m in methods:
        cells = []
        for k in (0, 1):
            o = statistics.median(r[m][k] for r in ours if m in r)
            p = statistics.median(r[m][k] for r in peer)
            cells.append((o, p, p / o))
        (o1, p1, r1), (ob, pb, rb) = cells
        print(f"{m:<22} {o1:>10.4f} {p1:>10.4f} {r1:>7.2f}   {ob:>10.4f} {pb:>10.4f} {rb:>7.2f}")


if __name__ == "__main__":
    main()
