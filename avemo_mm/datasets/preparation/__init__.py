"""Preparing a corpus once: probe every file, crop faces into a cache, write the
annotation file, the fold files and a report of every file skipped."""

from .clip import PrepareSettings, prepare_clip
from .corpus import prepare_corpus
from .faces import FaceTracker, crop_square, write_face_clip

__all__ = [
    'FaceTracker',
    'PrepareSettings',
    'crop_square',
    'prepare_clip',
    'prepare_corpus',
    'write_face_clip',
]
