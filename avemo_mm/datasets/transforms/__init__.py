from .audio import LoadAudio, SnippetLogSpectrogram
from .audio_augment import (
    AudioGain,
    AudioNoise,
    AudioPitchShift,
    AudioTimeShift,
    SpectrogramMasks,
)
from .cached_decord_init import CachedDecordInit, DecodedFrames
from .clip_change import ClipChange
from .frame_standardize import FrameStandardize
from .light_change import ClipLightChange
from .sampling import SampleSnippets, snippet_indices
from .scale_jitter import ClipScaleJitter

__all__ = [
    'AudioGain',
    'AudioNoise',
    'AudioPitchShift',
    'AudioTimeShift',
    'CachedDecordInit',
    'ClipChange',
    'ClipLightChange',
    'ClipScaleJitter',
    'DecodedFrames',
    'FrameStandardize',
    'LoadAudio',
    'SampleSnippets',
    'SnippetLogSpectrogram',
    'SpectrogramMasks',
    'snippet_indices',
]
