"""What differs between RAVDESS and CREMA-D: file layout, names, labels, audio source.

The datasets (reading straight from ``data_root``) and the preparation tool both go
through these specs, so the two never disagree about a file.
"""

from __future__ import annotations

import glob
import os.path as osp
from collections.abc import Mapping
from dataclasses import dataclass

from .emotions import CREMAD_CLASSES, CREMAD_CODES, RAVDESS_CLASSES
from .filenames import (
    RAVDESS_MODALITIES,
    RAVDESS_VOCAL_CHANNELS,
    parse_cremad_name,
    parse_ravdess_name,
)
from .folds import CREMAD_ACTORS, RAVDESS_ACTORS, RAVDESS_SEX, make_actor_folds


@dataclass(frozen=True)
class CorpusSpec:
    """Layout and naming of one corpus.

    Attributes:
        name (str): ``'ravdess'`` or ``'cremad'``.
        classes (tuple[str, ...]): Class names, label = index.
        actors (tuple[int, ...]): The official actor ids (the folds deal these).
        video_glob (str): Where the video files are, relative to ``data_root``.
        actor_sex (Mapping[int, str], optional): Each actor's sex where the ids tell
            it (RAVDESS); the folds then balance the sexes.
    """

    name: str
    classes: tuple[str, ...]
    actors: tuple[int, ...]
    video_glob: str
    actor_sex: Mapping[int, str] | None = None

    def actor_folds(self, num_folds: int) -> list[dict[str, list[int]]]:
        """The corpus's default folds (:func:`make_actor_folds` of its official ids)."""
        return make_actor_folds(self.actors, num_folds, sex=self.actor_sex)

    def find_videos(self, data_root: str) -> list[str]:
        """Video paths relative to ``data_root``, sorted.

        Raises:
            FileNotFoundError: ``data_root`` does not exist.
        """
        if not osp.isdir(data_root):
            raise FileNotFoundError(f'{self.name}: data_root {data_root} is not a directory')
        paths = glob.glob(osp.join(data_root, self.video_glob))
        return sorted(osp.relpath(p, data_root) for p in paths)

    def parse(self, rel_path: str) -> dict:
        """Fields of one file: ``clip_id``, ``actor``, ``label``, ``emotion`` and the
        corpus's own name fields. Raises ``ValueError`` naming the file."""
        stem = osp.splitext(osp.basename(rel_path))[0]
        if self.name == 'ravdess':
            fields = parse_ravdess_name(rel_path).asdict()
            fields['label'] = fields['emotion'] - 1
            # MMAction2 uses data_info['modality'] for 'RGB'/'Flow'/...: keep the
            # file's own modality under another name
            fields['file_modality'] = RAVDESS_MODALITIES[fields.pop('modality')]
            fields['vocal_channel'] = RAVDESS_VOCAL_CHANNELS[fields['vocal_channel']]
        else:
            fields = parse_cremad_name(rel_path).asdict()
            fields['label'] = CREMAD_CODES.index(fields['emotion'])
        fields['emotion'] = self.classes[fields['label']]
        fields['clip_id'] = stem
        return fields

    def audio_source(self, data_root: str, rel_video: str, fields: dict) -> str | None:
        """Where the clip's audio is, relative to ``data_root``; None if it has none.

        RAVDESS: the clip's own track (video-only ``02`` files have none). CREMA-D:
        the ``AudioWAV/<clip>.wav`` sidecar when present (the FLV's own track is
        missing in some copies of the corpus), else the FLV's track.
        """
        if self.name == 'ravdess':
            return None if fields['file_modality'] == 'video-only' else rel_video
        wav = osp.join('AudioWAV', fields['clip_id'] + '.wav')
        return wav if osp.isfile(osp.join(data_root, wav)) else rel_video


RAVDESS = CorpusSpec(
    'ravdess', RAVDESS_CLASSES, RAVDESS_ACTORS, osp.join('Actor_*', '*.mp4'), RAVDESS_SEX
)
CREMAD = CorpusSpec('cremad', CREMAD_CLASSES, CREMAD_ACTORS, osp.join('VideoFlash', '*.flv'))
CORPORA = {spec.name: spec for spec in (RAVDESS, CREMAD)}


def get_corpus(name: str) -> CorpusSpec:
    """The spec of a corpus by name (``'ravdess'`` or ``'cremad'``)."""
    if name not in CORPORA:
        raise ValueError(f'unknown corpus {name!r}; choose one of {sorted(CORPORA)}')
    return CORPORA[name]
