"""Which inputs a prediction uses when the video lacks a face or a voice."""

from __future__ import annotations

from ..modalities import MODALITIES
from ..utils.media import MediaError
from .results import PreparedVideo

MODALITY_CHOICES = ('auto', *MODALITIES)  # auto: what the video has


def choose_modality(backend, prepared: PreparedVideo, asked: str) -> tuple[str, list[str]]:
    """The inputs to use, and a note for each thing missing (``backend``: an
    :class:`~avemo_mm.apis.backend.InferenceBackend`)."""
    trained = backend.modality
    has_audio = prepared.info.has_audio
    has_face = prepared.face_detect_rate > 0
    name = prepared.video
    notes = []
    if not has_audio:
        notes.append(f'{name}: no audio track')
    if not has_face:
        notes.append(f'{name}: no face detected; the crop is the centre of the frame')
    if trained != 'audio-visual':
        if trained == 'audio' and not has_audio:
            raise MediaError(f'{name}: no audio track, and the model is audio-only')
        if asked not in ('auto', trained):
            raise ValueError(f'the model is {trained}-only; it cannot run as {asked!r}')
        return trained, notes
    if asked == 'auto':
        if not has_audio and not has_face:
            raise MediaError(f'{name}: no audio track and no face: nothing to recognise')
        if not has_audio:
            notes.append('running on the face alone (the model gets silence)')
            return 'video', notes
        if not has_face:
            notes.append('running on the voice alone (the model gets a blank face)')
            return 'audio', notes
        return 'audio-visual', notes
    if asked in ('audio-visual', 'audio') and not has_audio:
        raise MediaError(f"{name}: no audio track; use modality 'video' or 'auto'")
    return asked, notes
