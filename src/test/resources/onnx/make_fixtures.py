"""Writes the ONNX fixtures of OnnxImportTest, with the exporter's own logits and input gradients.

Run from the repository root with Debian's python3-torch (1.13):
    /usr/bin/python3 src/test/resources/onnx/make_fixtures.py
"""
import copy
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.dirname(os.path.abspath(__file__))
TARGETS = [1, 3]


def randomize_batch_norms(model):
    """Running statistics and affine parameters far from 0/1, so a reader that ignores one of them is caught."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n) * 0.5)
            m.running_var.copy_(torch.rand(n) * 1.5 + 0.25)
            m.weight.data.copy_(torch.rand(n) + 0.5)
            m.bias.data.copy_(torch.randn(n) * 0.3)


class SmallCnn(nn.Module):
    def __init__(self, classes=5):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.block = nn.Sequential(
            nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16))
        self.max_branch = nn.MaxPool2d(3, stride=1, padding=1)
        self.avg_branch = nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
        # Follows a concat rather than a conv, so the exporter cannot fold it into a conv's weights.
        self.mix_norm = nn.BatchNorm2d(32)
        self.mix = nn.Conv2d(32, 16, 1)
        self.mix_act = nn.LeakyReLU(0.1)
        self.pool = nn.AvgPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(16, classes)

    def forward(self, x):
        x = self.stem(x)
        x = F.relu(self.block(x) + x)
        x = torch.cat([self.max_branch(x), self.avg_branch(x)], dim=1)
        x = self.mix_act(self.mix(self.mix_norm(x)))
        x = self.gap(self.pool(x))
        return self.fc(self.dropout(torch.flatten(x, 1)))


class MatMulHead(nn.Module):
    """A linear head written as x.view(x.size(0), -1) @ W + b. With a dynamic batch the view exports as
    Shape, Gather, Unsqueeze and Concat computing the Reshape's shape; the product as MatMul and Add.
    The padded average pool counts its padding (count_include_pad=True), which exports as a Pad."""

    def __init__(self, classes=4):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.pool = nn.AvgPool2d(3, stride=1, padding=1)
        self.weight = nn.Parameter(torch.randn(48, classes) * 0.2)
        self.bias = nn.Parameter(torch.randn(classes))

    def forward(self, x):
        x = self.pool(torch.tanh(self.conv(x)))
        return torch.matmul(x.view(x.size(0), -1), self.weight) + self.bias


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2)
        self.fc = nn.Linear(2 * 8 * 8, 3)

    def forward(self, x):
        return self.fc(torch.flatten(self.up(self.conv(x)), 1))


def export(model, example, name, **options):
    torch.onnx.export(model, example, os.path.join(OUT, name), opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, **options)


def logits_and_gradient(model, x, targets):
    """In float64 from the exported float32 weights, so the reference carries no float32 rounding of its own."""
    model = copy.deepcopy(model).double()
    x = x.double().requires_grad_(True)
    logits = model(x)
    logits[torch.arange(len(targets)), torch.tensor(targets)].sum().backward()
    return logits.detach().numpy(), x.grad.numpy()


def save(name, array):
    np.save(os.path.join(OUT, name), array.astype(np.float32))


def main():
    torch.manual_seed(0)
    cnn = SmallCnn()
    with torch.no_grad():
        randomize_batch_norms(cnn)
    cnn.eval()
    x = torch.rand(2, 3, 16, 16)
    export(cnn, x, "small_cnn.onnx")
    # Unfolded: batch norms stay separate nodes after their convolutions and constants stay nodes.
    export(cnn, x, "small_cnn_unfolded.onnx", do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
    logits, grad = logits_and_gradient(cnn, x, TARGETS)
    save("small_cnn_input.npy", x.numpy())
    save("small_cnn_logits.npy", logits)
    save("small_cnn_grad.npy", grad)

    head = MatMulHead().eval()
    hx = torch.rand(2, 3, 4, 4)
    export(head, hx, "matmul_head.onnx")
    head_logits, _ = logits_and_gradient(head, hx, [0, 1])
    save("matmul_head_input.npy", hx.numpy())
    save("matmul_head_logits.npy", head_logits)

    export(Unsupported().eval(), torch.rand(1, 1, 4, 4), "unsupported.onnx")


if __name__ == "__main__":
    main()
