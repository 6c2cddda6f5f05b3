"""Exports torchvision architectures to ONNX with PyTorch's own logits and saliency, for `zoo-check`.

For each architecture: random weights (torch.manual_seed(0); no pretrained weights are reachable here),
batch norms given statistics far from 0/1 (so a reader that drops one of them is caught), eval mode,
the default export a user writes (torch.onnx.export(net, torch.rand(1, C, H, W), f)), and one picture
in [0,1]. Written to OUT/NAME/: model.onnx, input.npy [1,C,H,W], logits.npy [1,K] and saliency.npy
[1,C,H,W] (the gradient of the predicted class's logit with respect to the input), and for a ViT
cam_activation.npy and cam_gradient.npy [1,C,s,s] (the patch tokens where pytorch-grad-cam looks, see
vit_cam_stream), all computed in float64 from the float32 weights the ONNX file holds (batch norms after
convolutions are folded into them first, see fold_batch_norms).

Besides torchvision's models, two small ones test what the README promises of small models:
"grey_dilated" (one channel, a dilated convolution) and "grouped" (grouped and depthwise convolutions,
asymmetric padding, ceil-mode pooling, SiLU, hard-swish, ReLU6, squeeze-and-excitation, a channel
shuffle and a channel split).

Needs Debian's python3-torch and python3-torchvision (the system interpreter).
    /usr/bin/python3 src/peer/zoo_export.py --out target/zoo resnet18 grey_dilated
"""
import argparse
import os
import sys

import numpy as np

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torchvision
except ImportError as missing:
    sys.exit(f"zoo_export: {sys.executable} cannot import {missing.name}; it needs python3-torch and python3-torchvision")


class GreyDilated(nn.Module):
    """One channel in, a dilated convolution: the small model of the issue."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1)
        self.dilated = nn.Conv2d(8, 8, 3, padding=2, dilation=2)
        self.norm = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        x = F.relu(self.norm(self.dilated(F.relu(self.stem(x)))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class Grouped(nn.Module):
    """The operators of the mobile architectures on a 3x20x20 input, 5 classes."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.depthwise = nn.Conv2d(16, 16, 3, stride=2, padding=1, groups=16)
        self.grouped = nn.Conv2d(16, 24, 3, padding=1, groups=4)
        self.squeeze = nn.Conv2d(24, 8, 1)
        self.excite = nn.Conv2d(8, 24, 1)
        self.norm = nn.BatchNorm2d(24)
        self.branch = nn.Conv2d(12, 12, 1)
        self.fc = nn.Linear(24, 5)

    def forward(self, x):
        x = F.relu6(self.stem(x))
        x = F.pad(x, (0, 1, 0, 1))  # asymmetric, as TensorFlow's "same" padding
        x = F.silu(self.depthwise(x))
        x = F.max_pool2d(x, 2, 2, ceil_mode=True)
        x = F.hardswish(self.norm(self.grouped(x)))
        x = x * F.hardsigmoid(self.excite(F.relu(self.squeeze(F.adaptive_avg_pool2d(x, 1)))))
        n, c, h, w = x.shape
        x = x.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)
        a, b = x.chunk(2, dim=1)
        x = torch.cat([a, torch.sigmoid(self.branch(b))], dim=1)
        return self.fc(x.mean([2, 3]))


SMALL = {"grey_dilated": (GreyDilated, (1, 12, 12)), "grouped": (Grouped, (3, 20, 20))}


def build(name):
    if name in SMALL:
        cls, shape = SMALL[name]
        return cls(), shape
    kwargs = {"weights": None}
    if name == "googlenet":
        kwargs.update(aux_logits=False, init_weights=True)
    if name.startswith("inception"):
        kwargs.update(aux_logits=False, init_weights=True)
        return getattr(torchvision.models, name)(**kwargs), (3, 299, 299)
    return getattr(torchvision.models, name)(**kwargs), (3, 224, 224)


def randomize_batch_norms(model):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)) and getattr(m, "weight", None) is not None:
            n = m.weight.numel()
            m.weight.data.copy_(torch.rand(n).reshape(m.weight.shape) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(n).reshape(m.bias.shape) * 0.1)
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features) * 0.5 + 0.75)
        if isinstance(m, nn.Linear) and not m.weight.any():  # ViT's head starts at zero: every logit would be 0
            nn.init.normal_(m.weight, std=0.02)


def fold_batch_norms(model):
    """Each batch norm that follows a convolution folded into it, in float32, before the export: the exporter would
    fold it anyway, and the float64 reference must then compute with the very weights the ONNX file holds. Folded by
    the exporter instead, its float32 rounding (~1e-7) flips max-pool near-ties between the two sides, and the
    saliency of a random-weight ResNet-50 differs by 2 % at a few pixels while both are right."""
    try:
        from torch.fx.experimental.optimization import fuse
        return fuse(model)
    except Exception as e:  # models torch.fx cannot trace keep their batch norms
        print(f"  (batch norms not folded before export: {type(e).__name__})", file=sys.stderr)
        return model


def vit_cam_stream(model):
    """For a torchvision ViT, records the residual stream where pytorch-grad-cam's ViT example looks (the input
    of the last block's first layer norm) and its gradient; None for other models."""
    names = [name for name, _ in model.named_modules() if name.startswith("encoder.layers.") and name.endswith(".ln_1")]
    if not names:
        return None
    stream = {}

    def record(module, inputs):
        tokens = inputs[0]
        stream["activation"] = tokens.detach()
        tokens.register_hook(lambda grad: stream.__setitem__("gradient", grad.detach()))

    model.get_submodule(names[-1]).register_forward_pre_hook(record)
    return stream


def patch_grid(tokens):
    """pytorch-grad-cam's reshape_transform for ViTs: [N, 1 + s*s, C] tokens, class token dropped, as [N, C, s, s]."""
    n, count, channels = tokens.shape
    side = int(round((count - 1) ** 0.5))
    return tokens[:, 1:, :].reshape(n, side, side, channels).permute(0, 3, 1, 2).contiguous()


def export(name, out):
    torch.manual_seed(0)
    model, shape = build(name)
    randomize_batch_norms(model)
    model.eval()
    model = fold_batch_norms(model)
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    picture = torch.rand(1, *shape)
    path = os.path.join(folder, "model.onnx")
    # not under no_grad: there PyTorch's attention takes a fast path that the exporter cannot write
    torch.onnx.export(model, picture, path + ".tmp")
    os.replace(path + ".tmp", path)

    reference = model.double()
    stream = vit_cam_stream(reference)
    x = picture.double().requires_grad_(True)
    logits = reference(x)
    target = int(logits.argmax(1))
    logits[0, target].backward()
    np.save(os.path.join(folder, "input.npy"), picture.numpy().astype(np.float32))
    np.save(os.path.join(folder, "logits.npy"), logits.detach().numpy())
    np.save(os.path.join(folder, "saliency.npy"), x.grad.numpy())
    if stream:
        np.save(os.path.join(folder, "cam_activation.npy"), patch_grid(stream["activation"]).numpy())
        np.save(os.path.join(folder, "cam_gradient.npy"), patch_grid(stream["gradient"]).numpy())
    print(f"{name}: {shape}, class {target}, logits std {float(logits.std()):.4g}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    for name in args.names:
        export(name, args.out)


if __name__ == "__main__":
    main()
