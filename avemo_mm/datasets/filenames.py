"""Parsers for the corpora's file names. Each raises ``ValueError`` naming the file."""

from __future__ import annotations

import os.path as osp
import re
from dataclasses import asdict, dataclass

from .emotions import CREMAD_CODES

RAVDESS_MODALITIES = {'01': 'audio-visual', '02': 'video-only', '03': 'audio-only'}
RAVDESS_VOCAL_CHANNELS = {'01': 'speech', '02': 'song'}
_RAVDESS_RE = re.compile(r'^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)$')
_CREMAD_RE = re.compile(r'^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})$')
CREMAD_LEVELS = ('LO', 'MD', 'HI', 'XX')


@dataclass(frozen=True)
class RavdessName:
    """The seven fields of ``MM-VV-EE-II-SS-RR-AA`` (two digits each)."""

    modality: str  # 01 audio-visual, 02 video-only, 03 audio-only
    vocal_channel: str  # 01 speech, 02 song
    emotion: int  # 1..8
    intensity: int  # 1 normal, 2 strong
    statement: int  # 1 "Kids are talking by the door", 2 "Dogs are sitting by the door"
    repetition: int  # 1, 2
    actor: int  # 1..24 (odd male, even female)

    def asdict(self) -> dict:
        return asdict(self)


def parse_ravdess_name(path: str) -> RavdessName:
    """Parse a RAVDESS file name such as ``01-01-06-01-02-01-12.mp4``.

    Raises:
        ValueError: When the name does not have the seven fields or a field is
            outside its documented range.
    """
    stem = osp.splitext(osp.basename(path))[0]
    match = _RAVDESS_RE.match(stem)
    if match is None:
        raise ValueError(f'{path}: not a RAVDESS name (MM-VV-EE-II-SS-RR-AA, two digits each)')
    mm, vv, ee, ii, ss, rr, aa = match.groups()
    checks = [
        (mm in RAVDESS_MODALITIES, f'modality {mm} not in {sorted(RAVDESS_MODALITIES)}'),
        (vv in RAVDESS_VOCAL_CHANNELS, f'vocal channel {vv} not in 01, 02'),
        (1 <= int(ee) <= 8, f'emotion {ee} not in 01-08'),
        (int(ii) in (1, 2), f'intensity {ii} not in 01, 02'),
        (int(ss) in (1, 2), f'statement {ss} not in 01, 02'),
        (int(rr) in (1, 2), f'repetition {rr} not in 01, 02'),
        (int(aa) >= 1, f'actor {aa} not >= 01'),
    ]
    for ok, message in checks:
        if not ok:
            raise ValueError(f'{path}: {message}')
    return RavdessName(mm, vv, int(ee), int(ii), int(ss), int(rr), int(aa))


@dataclass(frozen=True)
class CremaDName:
    """The four fields of ``ActorID_Sentence_Emotion_Level``."""

    actor: int  # 1001..1091
    sentence: str  # IEO, TIE, IOM, ... (12 sentences)
    emotion: str  # ANG, DIS, FEA, HAP, NEU, SAD
    level: str  # LO, MD, HI, XX (unspecified)

    def asdict(self) -> dict:
        return asdict(self)


def parse_cremad_name(path: str) -> CremaDName:
    """Parse a CREMA-D file name such as ``1001_DFA_ANG_XX.flv``.

    Raises:
        ValueError: When the name does not have the four fields or an emotion or
            level code is unknown.
    """
    stem = osp.splitext(osp.basename(path))[0]
    match = _CREMAD_RE.match(stem)
    if match is None:
        raise ValueError(f'{path}: not a CREMA-D name (ActorID_Sentence_Emotion_Level)')
    actor, sentence, emotion, level = match.groups()
    if emotion not in CREMAD_CODES:
        raise ValueError(f'{path}: emotion {emotion} not in {CREMAD_CODES}')
    if level not in CREMAD_LEVELS:
        raise ValueError(f'{path}: level {level} not in {CREMAD_LEVELS}')
    return CremaDName(int(actor), sentence, emotion, level)
