"""The references' numbers for `make peer-methods`: Captum's and pytorch-grad-cam's attributions on the same models and pictures as ours.

For each model, writes OUT/NAME/: the model for our side (model.onnx, or model.npz + model.json for the report's
VGG13), input.npy [N,C,H,W] in [0,1], targets.npy (PyTorch's predicted classes, in float64) and one METHOD.npy per
method, named by our method ids, computed in float64 from the float32 weights our side reads:

- Captum 0.7: guided-backprop, deconvolution, guided-grad-cam (GuidedBackprop, Deconvolution, GuidedGradCam with
  its default nearest-neighbour resize).
- Captum 0.7 on a grid of superpixels (4x4 on the VGG13, 7x7 on the ResNet; settings.txt gives ours the same):
  feature-ablation, and on the VGG13 shapley-value-sampling (25 permutations) as the mean and standard error
  (shapley-value-sampling.se.npy) over 20 seeds, its draws being Captum's own.
- eclique/RISE (the authors' code) on the VGG13: rise, 500 masks, as the mean and standard error over 20 seeds.
- Zennit (chr5tphr/zennit): lrp-epsilon (its Epsilon rule on every convolution and dense layer, with its base layer map),
  lrp-epsilon-plus-flat, lrp-epsilon-gamma-box (bounds: the pixel range [0,1] through the normalization),
  lrp-epsilon-alpha2-beta1; ResNetCanonizer on the ResNet (its residual sums get the Norm rule, as ours), relevance
  taken at the network's normalized input and started from the target's logit.
- pytorch-grad-cam (jacobgil/pytorch-grad-cam): grad-cam, grad-cam-plus-plus, hires-cam, grad-cam-element-wise,
  xgrad-cam, layer-cam, eigen-cam, eigen-grad-cam, score-cam, ablation-cam (both compute their scores in float32). Each map is the class's own get_cam_image at the layer,
  ReLU, then resized bilinearly (half-pixel centres, as its cv2.resize) without the min-max scaling its __call__
  adds for display: we keep maps unscaled so that they stay comparable across images. Eigen-CAM's sign is the
  arbitrary one LAPACK returns; both sides orient the component so that its largest magnitude is positive.
  full-grad likewise without its final min-max scaling (its planes are each scaled to [0,1] before they are summed).

Models: "vgg13", the report's network with the weights our state-dict command exported from weights/base to
OUT/vgg13/model.npz and model.json (--vgg13-state),
on the first CIFAR-10 test pictures; "resnet18", torchvision's with random weights and non-trivial batch norms, folded
into the convolutions in float32 before the export so that both sides compute with the same weights, on random
pictures at 224x224. Every ReLU is made out-of-place (Captum's hooks need it).

Needs Debian's python3-torch, python3-torchvision and python3-skimage, Captum 0.7, pytorch-grad-cam, Zennit,
eclique/RISE and PAIR-code/saliency (XRAI) on PYTHONPATH; the three
modules pytorch-grad-cam imports but never calls for these methods (cv2, ttach, sklearn) are stubbed if missing.
"""
import argparse
import json
import os
import sys

import numpy as np

from grad_cam_imports import stub_unused_modules

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError as missing:
    sys.exit(f"method_parity: {sys.executable} cannot import {missing.name}; it needs python3-torch")


def references_importable():
    stub_unused_modules()
    try:
        import captum.attr  # noqa: F401
        import pytorch_grad_cam  # noqa: F401
        import zennit  # noqa: F401
        import explanations  # noqa: F401  (eclique/RISE)
        import saliency.core  # noqa: F401  (PAIR-code/saliency, XRAI)
    except ImportError as missing:
        sys.exit(f"method_parity: cannot import {missing.name}; put Captum 0.7, pytorch-grad-cam, Zennit, eclique/RISE and "
                 f"PAIR-code/saliency on "
                 f"PYTHONPATH (see PEER_PYTHON), and RISE needs python3-skimage")


def out_of_place_relus(model):
    for module in model.modules():
        if isinstance(module, nn.ReLU):
            module.inplace = False
    return model


def vgg13(state_file, cifar, count):
    from vgg13 import Vgg13

    model = Vgg13()
    arrays = np.load(state_file)
    missing = set(model.state_dict()) - {"mean", "std"} - set(arrays.files)
    if missing:
        sys.exit(f"method_parity: {state_file} lacks {sorted(missing)}")
    model.load_state_dict({k: torch.from_numpy(arrays[k]) for k in arrays.files}, strict=False)
    # the normalization the model was trained with, from its sidecar, not the textbook CIFAR-10 figures
    with open(os.path.splitext(state_file)[0] + ".json") as f:
        sidecar = json.load(f)
    model.mean.copy_(torch.tensor(sidecar["mean"]).view(1, 3, 1, 1))
    model.std.copy_(torch.tensor(sidecar["std"]).view(1, 3, 1, 1))
    with open(cifar, "rb") as f:
        records = np.frombuffer(f.read(count * 3073), dtype=np.uint8).reshape(count, 3073)
    pictures = torch.from_numpy(records[:, 1:].reshape(count, 3, 32, 32).astype(np.float32) / 255)
    return model.eval(), pictures, model.cam_layer()


def fold_batch_norms(module):
    """Each (convolution, batch norm) pair of a torchvision ResNet folded into the convolution, in float32, the
    module tree kept (Captum and pytorch-grad-cam hook modules by name)."""
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    for name, child in list(module.named_children()):
        if isinstance(child, nn.Sequential) and len(child) == 2 and isinstance(child[0], nn.Conv2d) \
                and isinstance(child[1], nn.BatchNorm2d):
            setattr(module, name, nn.Sequential(fuse_conv_bn_eval(child[0], child[1]), nn.Identity()))
        else:
            fold_batch_norms(child)
    for index in ("", "1", "2", "3"):
        conv, norm = getattr(module, "conv" + index, None), getattr(module, "bn" + index, None)
        if isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d):
            setattr(module, "conv" + index, fuse_conv_bn_eval(conv, norm))
            setattr(module, "bn" + index, nn.Identity())
    return module


def resnet18(count):
    import torchvision
    from zoo_export import randomize_batch_norms

    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None)
    randomize_batch_norms(model)
    model = fold_batch_norms(model.eval())
    pictures = torch.rand(count, 3, 224, 224)
    return model, pictures, model.layer4


def oriented(projection):
    """A principal component's projection with its largest magnitude positive (the sign an SVD returns is arbitrary)."""
    return np.stack([-p if abs(p.min()) > abs(p.max()) else p for p in projection])


def grad_cam_family(model, layer, x, targets, wanted):
    from pytorch_grad_cam import (AblationCAM, EigenCAM, EigenGradCAM, GradCAM, GradCAMElementWise, GradCAMPlusPlus, HiResCAM,
                                  LayerCAM, ScoreCAM, XGradCAM)
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    classes = {"grad-cam": GradCAM, "grad-cam-plus-plus": GradCAMPlusPlus, "hires-cam": HiResCAM,
               "grad-cam-element-wise": GradCAMElementWise, "xgrad-cam": XGradCAM, "layer-cam": LayerCAM,
               "eigen-cam": EigenCAM, "eigen-grad-cam": EigenGradCAM, "score-cam": ScoreCAM, "ablation-cam": AblationCAM}
    maps = {}
    for method, cls in classes.items():
        if not wanted(method):
            continue
        cam = cls(model=model, target_layers=[layer])
        outputs = cam.activations_and_grads(x)
        chosen = [ClassifierOutputTarget(int(t)) for t in targets]
        model.zero_grad()
        sum(target(output) for target, output in zip(chosen, outputs)).backward()
        activations = cam.activations_and_grads.activations[0].numpy()
        gradients = cam.activations_and_grads.gradients[0].numpy()
        plane = cam.get_cam_image(x, layer, chosen, activations, gradients, False).astype(np.float64)
        if method.startswith("eigen"):
            plane = oriented(plane)
        plane = torch.from_numpy(np.maximum(plane, 0))[:, None]
        maps[method] = F.interpolate(plane, size=x.shape[-2:], mode="bilinear", align_corners=False).numpy()
        cam.activations_and_grads.release()
    return maps


def full_grad(model, x, targets):
    """pytorch-grad-cam's FullGrad: its compute_cam_per_layer (each plane scaled to [0,1] and resized, all summed) without
    the final scaling to [0,1] that its aggregate_multi_layers adds for display."""
    from pytorch_grad_cam import FullGrad
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    cam = FullGrad(model=model, target_layers=[])
    inputs = x.clone().requires_grad_(True)
    outputs = cam.activations_and_grads(inputs)
    chosen = [ClassifierOutputTarget(int(t)) for t in targets]
    model.zero_grad()
    sum(target(output) for target, output in zip(chosen, outputs)).backward()
    plane = cam.compute_cam_per_layer(inputs, chosen, False).astype(np.float64)
    cam.activations_and_grads.release()
    return {"full-grad": plane}


def captum_family(model, layer, x, targets):
    from captum.attr import Deconvolution, GuidedBackprop, GuidedGradCam

    target = torch.as_tensor(targets)
    return {"guided-backprop": GuidedBackprop(model).attribute(x, target=target).detach().numpy(),
            "deconvolution": Deconvolution(model).attribute(x, target=target).detach().numpy(),
            "guided-grad-cam": GuidedGradCam(model, layer).attribute(x, target=target).detach().numpy()}


def zennit_family(model, x, targets, normalization, residual):
    """Zennit's composites; relevance at the network's normalized input, as ours (Zennit's gradient would go on through
    the normalization and divide it by the standard deviation), starting from the target's logit."""
    import torch.nn as nn
    from zennit.attribution import Gradient
    from zennit.composites import EpsilonAlpha2Beta1, EpsilonGammaBox, EpsilonPlusFlat, LayerMapComposite, layer_map_base
    from zennit.rules import Epsilon
    from zennit.torchvision import ResNetCanonizer
    from zennit.types import Convolution

    if normalization is not None:
        mean, std = normalization
        network = nn.Sequential(model.conv_layers, nn.Flatten(), model.fc_layers)
        z = (x - mean) / std
        low, high = (0 - mean) / std, (1 - mean) / std
    else:
        network, z = model, x
        low, high = torch.zeros(1, x.shape[1], 1, 1, dtype=x.dtype), torch.ones(1, x.shape[1], 1, 1, dtype=x.dtype)
    canonizers = [ResNetCanonizer()] if residual else []
    composites = {
        "lrp-epsilon": LayerMapComposite(layer_map_base() + [(Convolution, Epsilon()), (nn.Linear, Epsilon())], canonizers=canonizers),
        "lrp-epsilon-plus-flat": EpsilonPlusFlat(canonizers=canonizers),
        "lrp-epsilon-gamma-box": EpsilonGammaBox(low=low.expand_as(z), high=high.expand_as(z), canonizers=canonizers),
        "lrp-epsilon-alpha2-beta1": EpsilonAlpha2Beta1(canonizers=canonizers),
    }
    with torch.no_grad():
        logits = network(z)
    seed = torch.zeros_like(logits)
    seed[torch.arange(len(targets)), torch.as_tensor(targets)] = logits[torch.arange(len(targets)), torch.as_tensor(targets)]
    maps = {}
    for method, composite in composites.items():
        with Gradient(model=network, composite=composite) as attributor:
            _, relevance = attributor(z.clone(), seed)
        maps[method] = relevance.detach().numpy()
    return maps


SEEDED_RUNS = 20
RISE_MASKS = 500


def grid_mask(n, height, width, side):
    """Our grid(side x side) segmentation as Captum's feature mask: cell boundaries at floor(i * H / side)."""
    rows = (torch.arange(height) * side // height)[:, None]
    cols = (torch.arange(width) * side // width)[None, :]
    return (rows * side + cols).expand(n, 1, height, width).contiguous()


def perturbation_family(model, x, targets, side, with_sampling, wanted):
    """Captum's FeatureAblation and ShapleyValueSampling (25 permutations) on a grid of superpixels, baseline 0; the
    sampling as the mean over SEEDED_RUNS seeds with its standard error (the draws cannot be shared)."""
    from captum.attr import FeatureAblation, ShapleyValueSampling

    target = torch.as_tensor(targets)
    mask = grid_mask(x.shape[0], x.shape[2], x.shape[3], side)
    maps = {}
    if wanted("feature-ablation"):
        maps["feature-ablation"] = FeatureAblation(model).attribute(x, target=target, baselines=0.0, feature_mask=mask).detach().numpy()
    if with_sampling and wanted("shapley-value-sampling"):
        runs = []
        for seed in range(SEEDED_RUNS):
            torch.manual_seed(seed)
            runs.append(ShapleyValueSampling(model).attribute(x, target=target, baselines=0.0, feature_mask=mask,
                                                               n_samples=25).detach().numpy())
        runs = np.stack(runs)
        maps["shapley-value-sampling"] = runs.mean(0)
        maps["shapley-value-sampling.se"] = runs.std(0, ddof=1) / np.sqrt(SEEDED_RUNS)
    if with_sampling and wanted("rise"):
        maps.update(rise(model, x, targets))
    return maps, [f"feature-ablation.segmentation=grid({side}x{side})", f"shapley-value-sampling.segmentation=grid({side}x{side})",
                  f"rise.masks={RISE_MASKS}"]


def rise(model, x, targets):
    """RISE from its authors' code (rise_reference) with RISE_MASKS masks, as the mean over SEEDED_RUNS seeds with its
    standard error."""
    from rise_reference import draw_masks, explainer

    reference = explainer(model, x.shape[2])
    runs = []
    with torch.no_grad():
        for seed in range(SEEDED_RUNS):
            np.random.seed(seed)
            draw_masks(reference, RISE_MASKS)
            # its float32 masks, in double as the model computes (its matmul does not mix the two)
            reference.masks = reference.masks.double()
            runs.append(np.stack([reference(x[i:i + 1])[targets[i]].numpy()[None] for i in range(x.shape[0])]))
    runs = np.stack(runs)
    return {"rise": runs.mean(0), "rise.se": runs.std(0, ddof=1) / np.sqrt(SEEDED_RUNS)}


def xrai(model, x, targets):
    """PAIR saliency's XRAI with its defaults (IG from the picture's min and max, 100 steps each; Felzenszwalb regions on
    the picture resized to 224), on the picture as an HxWxC array, the logit's gradient as its call_model_function."""
    from saliency.core import xrai as pair_xrai
    from saliency.core.base import INPUT_OUTPUT_GRADIENTS

    def gradients(target):
        def call(batch, call_model_args=None, expected_keys=None):
            inputs = torch.from_numpy(np.ascontiguousarray(batch.transpose(0, 3, 1, 2))).double().requires_grad_(True)
            logits = model(inputs)
            (grad,) = torch.autograd.grad(logits[:, target].sum(), inputs)
            return {INPUT_OUTPUT_GRADIENTS: grad.numpy().transpose(0, 2, 3, 1)}
        return call

    method = pair_xrai.XRAI()
    maps = [method.GetMask(x[i].numpy().transpose(1, 2, 0), gradients(int(targets[i])), batch_size=20)[None]
            for i in range(x.shape[0])]
    return {"xrai": np.stack(maps).astype(np.float64)}


def write(folder, name, array):
    np.save(os.path.join(folder, name + ".npy.tmp"), array)
    os.replace(os.path.join(folder, name + ".npy.tmp.npy"), os.path.join(folder, name + ".npy"))


def export(name, model, pictures, layer, out, write_onnx, wanted):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    out_of_place_relus(model)
    if write_onnx:
        path = os.path.join(folder, "model.onnx")
        torch.onnx.export(model, pictures[:1], path + ".tmp", input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        os.replace(path + ".tmp", path)
    reference = model.double()
    x = pictures.double()
    normalization = (reference.mean, reference.std) if hasattr(reference, "mean") else None
    with torch.no_grad():
        targets = reference(x).argmax(1).numpy().astype(np.int64)
    write(folder, "input", pictures.numpy())
    write(folder, "targets", targets)
    maps = {**captum_family(reference, layer, x, targets), **grad_cam_family(reference, layer, x, targets, wanted),
            **(full_grad(reference, x, targets) if wanted("full-grad") else {}),
            # the reference's greedy ranking scans every region's whole mask at each step: hours at 224x224, so 32x32 only
            **(xrai(reference, x, targets) if wanted("xrai") and not write_onnx else {}),
            **zennit_family(reference, x, targets, normalization, residual=write_onnx)}
    perturbed, settings = perturbation_family(reference, x, targets, 7 if write_onnx else 4, with_sampling=not write_onnx,
                                              wanted=wanted)
    maps.update(perturbed)
    maps = {method: values for method, values in maps.items() if wanted(method.split(".")[0])}
    with open(os.path.join(folder, "settings.txt"), "w") as f:
        f.write("\n".join(settings) + "\n")
    for method, values in maps.items():
        write(folder, method, values)
    print(f"{name}: {tuple(pictures.shape)}, classes {targets.tolist()}, {len(maps)} methods", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--vgg13-state", required=True,
                        help="the report's VGG13 as a PyTorch state dict, OUT/vgg13/model.npz (written by our state-dict command)")
    parser.add_argument("--cifar", required=True, help="CIFAR-10's test_batch.bin")
    parser.add_argument("--images", type=int, default=4, help="pictures per model")
    parser.add_argument("--methods", default="", help="only these method ids, comma-separated (default: all)")
    args = parser.parse_args()
    for path in (args.vgg13_state, args.cifar):
        if not os.path.isfile(path):
            sys.exit(f"method_parity: {path}: no such file")
    if args.images < 1:
        sys.exit("method_parity: --images must be >= 1")
    references_importable()
    torch.set_num_threads(2)
    chosen = {m.strip() for m in args.methods.split(",") if m.strip()}

    def wanted(method):
        return not chosen or method in chosen

    export("vgg13", *vgg13(args.vgg13_state, args.cifar, args.images), args.out, False, wanted)
    export("resnet18", *resnet18(min(args.images, 2)), args.out, True, wanted)


if __name__ == "__main__":
    main()
