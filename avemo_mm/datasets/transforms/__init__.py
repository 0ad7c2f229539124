from .audio import LoadAudio, SnippetLogSpectrogram
from .audio_augment import (
    AudioGain,
    AudioNoise,
    AudioPitchShift,
    AudioTimeShift,
    SpectrogramMasks,
)
from .cached_decord_init import CachedDecordInit, DecodedFrames
from .light_change import ClipLightChange
from .sampling import SampleSnippets, snippet_indices

__all__ = [
    'AudioGain',
    'AudioNoise',
    'AudioPitchShift',
    'AudioTimeShift',
    'CachedDecordInit',
    'ClipLightChange',
    'DecodedFrames',
    'LoadAudio',
    'SampleSnippets',
    'SnippetLogSpectrogram',
    'SpectrogramMasks',
    'snippet_indices',
]
