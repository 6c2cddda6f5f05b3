"""RISE from its authors' code (eclique/RISE's explanations.py on PYTHONPATH), set up as both peer scripts use it."""
import os
import tempfile

import torch
from torch import nn


def explainer(model, side):
    """Its RISE on the model followed by a softmax, as its examples explain."""
    from explanations import RISE

    return RISE(nn.Sequential(model, nn.Softmax(dim=1)), (side, side), gpu_batch=100)


def draw_masks(rise, masks):
    """Its generate_masks with our defaults (8x8 cells kept with probability 0.5), drawn by numpy's global generator. It
    insists on writing the masks to a file (a temporary one here), and its master branch moves them to a GPU
    unconditionally, which is made a no-op for the call on a CPU-only PyTorch."""
    to_gpu = torch.Tensor.cuda
    torch.Tensor.cuda = lambda tensor, *args, **kwargs: tensor
    try:
        with tempfile.TemporaryDirectory() as scratch:
            rise.generate_masks(N=masks, s=8, p1=0.5, savepath=os.path.join(scratch, "masks.npy"))
    finally:
        torch.Tensor.cuda = to_gpu
