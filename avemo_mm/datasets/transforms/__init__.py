from .audio import LoadAudio, SnippetLogSpectrogram
from .sampling import SampleSnippets, snippet_indices

__all__ = ['LoadAudio', 'SampleSnippets', 'SnippetLogSpectrogram', 'snippet_indices']
