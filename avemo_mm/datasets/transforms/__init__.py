from .audio import LoadAudio, SnippetLogSpectrogram
from .audio_augment import AudioGain, AudioNoise, AudioTimeShift, SpectrogramMasks
from .light_change import ClipLightChange
from .sampling import SampleSnippets, snippet_indices

__all__ = [
    'AudioGain',
    'AudioNoise',
    'AudioTimeShift',
    'ClipLightChange',
    'LoadAudio',
    'SampleSnippets',
    'SnippetLogSpectrogram',
    'SpectrogramMasks',
    'snippet_indices',
]
