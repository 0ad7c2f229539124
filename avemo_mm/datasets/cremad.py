"""CREMA-D (Cao et al., 2014): 91 actors, 6 emotions, 7442 clips."""

from __future__ import annotations

import csv
import logging
import os.path as osp
from typing import Any

from mmaction.registry import DATASETS
from mmengine.logging import print_log

from .av_emotion_dataset import AVEmotionDataset
from .corpora import CREMAD
from .emotions import emotion_metainfo

# summaryTable.csv vote letters -> label (the CREMA-D class order)
VOTE_LETTERS = {'A': 0, 'D': 1, 'F': 2, 'H': 3, 'N': 4, 'S': 5}
LABEL_SOURCES = {
    'intended': None,
    'multimodal': 'MultiModalVote',
    'voice': 'VoiceVote',
    'face': 'FaceVote',
}
SUMMARY_TABLE = osp.join('processedResults', 'summaryTable.csv')


@DATASETS.register_module()
class CremaDDataset(AVEmotionDataset):
    """CREMA-D: ``VideoFlash/*.flv`` with ``AudioWAV/*.wav`` sidecars.

    Names ``ActorID_Sentence_Emotion_Level``. Classes (alphabetical by code):
    angry, disgust, fearful, happy, neutral, sad. The audio comes from the wav
    sidecar when present, else from the FLV's own track.

    Args:
        label_source (str): ``'intended'`` (default): the emotion the actor was asked
            to show, from the file name. ``'multimodal'`` / ``'voice'`` / ``'face'``:
            the perceived vote of the corpus's ``processedResults/summaryTable.csv``
            (under ``data_root``). **Decision**: clips whose vote is a tie (letters
            joined by ``:``) are left out and counted.
        **kwargs: See :class:`AVEmotionDataset`.
    """

    corpus = CREMAD
    METAINFO = emotion_metainfo(CREMAD.classes)

    def __init__(self, *args: Any, label_source: str = 'intended', **kwargs: Any) -> None:
        if label_source not in LABEL_SOURCES:
            raise ValueError(
                f'CremaDDataset: label_source must be one of '
                f'{sorted(LABEL_SOURCES)}, got {label_source!r}'
            )
        self.label_source = label_source
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> list[dict]:
        data_list = super().load_data_list()
        if not self.ann_file:
            # decord can spin on FLVs, which store no frame count; the preparation
            # tool's annotation caps sampling at the frames that really decode
            print_log(
                'CremaDDataset: reading the FLV originals without the frame counts of '
                'tools/data/prepare_dataset.py; prepare the corpus first for training',
                logger='current',
                level=logging.WARNING,
            )
        column = LABEL_SOURCES[self.label_source]
        if column is None:
            return data_list
        votes = self._read_votes(column)
        kept, ties, unvoted = [], 0, 0
        for info in data_list:
            vote = votes.get(info['clip_id'])
            if vote is None or vote not in VOTE_LETTERS:
                ties += vote is not None
                unvoted += vote is None
                continue
            info['intended_label'] = info['label']
            info['label'] = VOTE_LETTERS[vote]
            kept.append(info)
        print_log(
            f'CremaDDataset: {self.label_source} votes as labels; left out {ties} '
            f'tied votes and {unvoted} clips without a vote',
            logger='current',
            level=logging.INFO,
        )
        if not kept:
            raise ValueError(
                f'CremaDDataset: no clip of this split has a clear {self.label_source} vote'
            )
        return kept

    def _read_votes(self, column: str) -> dict[str, str]:
        path = osp.join(self.data_root, SUMMARY_TABLE)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'CremaDDataset: label_source={self.label_source!r} needs {path} (the '
                "corpus's processedResults/summaryTable.csv)"
            )
        with open(path, newline='') as fh:
            rows = list(csv.DictReader(fh))
        if not rows or 'FileName' not in rows[0] or column not in rows[0]:
            raise ValueError(f'{path}: expected columns FileName and {column}')
        return {row['FileName'].strip(): row[column].strip() for row in rows}
