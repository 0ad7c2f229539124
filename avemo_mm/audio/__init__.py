"""The audio front-end's arithmetic in numpy alone: band edges and filters, the clip's
median pitch, resampling and the log spectrogram of each snippet.

Nothing here imports PyTorch, so that an exported model runs without it
(``docs/deployment.md``); the training transforms
(:class:`~avemo_mm.datasets.transforms.SnippetLogSpectrogram`) use the same pieces.
"""

from .frequency_bands import band_edges, triangular_filterbank
from .resample import resample
from .snippet_spectrogram import SpectrogramSettings, snippet_log_spectrogram
from .voice_pitch import median_pitch

__all__ = [
    'SpectrogramSettings',
    'band_edges',
    'median_pitch',
    'resample',
    'snippet_log_spectrogram',
    'triangular_filterbank',
]
