from .hara_resnet3d import HaraResNet3d
from .spectrogram_resnet import SpectrogramResNet, sum_rgb_conv1

__all__ = ['HaraResNet3d', 'SpectrogramResNet', 'sum_rgb_conv1']
