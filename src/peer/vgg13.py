"""The report's VGG13 in PyTorch, module for module as VggSpec, shared by the peers of `make bench-peer*`."""
import torch
from torch import nn

BLOCKS = ((3, 64), (64, 128), (128, 256))
HIDDEN = 1024
CLASSES = 10
MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)


class Vgg13(nn.Module):
    """The report's VGG13 (6,400,586 parameters), module for module as VggSpec, normalization inside."""

    def __init__(self):
        super().__init__()
        layers = []
        for cin, cout in BLOCKS:
            layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(2)]
        self.conv_layers = nn.Sequential(*layers)
        self.fc_layers = nn.Sequential(nn.Linear(BLOCKS[-1][1] * 4 * 4, HIDDEN), nn.ReLU(), nn.Dropout(0.5),
                                       nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Dropout(0.5), nn.Linear(HIDDEN, CLASSES))
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))

    def forward(self, x):
        return self.fc_layers(torch.flatten(self.conv_layers((x - self.mean) / self.std), 1))

    def cam_layer(self):
        return self.conv_layers[13]
