"""A small synthetic corpus in the exact CREMA-D layout: the drawn faces and voices of
:mod:`avemo_mm.datasets.synthetic` under CREMA-D's names.

``OUT/VideoFlash/<id>.flv`` (H.264 + AAC in FLV), ``OUT/AudioWAV/<id>.wav`` (16 kHz) and
``OUT/processedResults/summaryTable.csv`` with perceived votes.
"""

from __future__ import annotations

import os
import os.path as osp

import numpy as np

from .synthetic import SyntheticClip

# CREMA-D emotion code -> RAVDESS emotion code (the same drawn face and voice)
CREMAD_TO_RAVDESS = {'ANG': 5, 'DIS': 7, 'FEA': 6, 'HAP': 3, 'NEU': 1, 'SAD': 4}
CREMAD_SENTENCES = (
    'DFA',
    'IEO',
    'IOM',
    'ITH',
    'ITS',
    'IWL',
    'IWW',
    'MTI',
    'TAI',
    'TIE',
    'TSI',
    'WSI',
)


def plan_cremad_corpus(out_dir: str, num_actors: int = 4, num_sentences: int = 2):
    """CREMA-D-layout clips: actors 1001.., every emotion, level XX (and HI for
    non-neutral emotions of the first sentence, as in the corpus)."""
    clips = []
    for actor in range(1001, 1001 + num_actors):
        for s_index, sentence in enumerate(CREMAD_SENTENCES[:num_sentences]):
            for code, emotion in CREMAD_TO_RAVDESS.items():
                levels = ('XX', 'HI') if s_index == 0 and code != 'NEU' else ('XX',)
                for level in levels:
                    path = osp.join(
                        out_dir, 'VideoFlash', f'{actor}_{sentence}_{code}_{level}.flv'
                    )
                    clips.append(
                        SyntheticClip(
                            path, 1, emotion, 2 if level == 'HI' else 1, s_index + 1, 1, actor
                        )
                    )
    return clips


def write_cremad_summary_table(out_dir: str, clips: list[SyntheticClip], seed: int = 0) -> str:
    """``processedResults/summaryTable.csv`` in the corpus's columns; the votes agree
    with the intended emotion for most clips, differ for some, and tie for a few."""
    rng = np.random.default_rng(seed)
    letters = {code: code[0] for code in CREMAD_TO_RAVDESS}  # ANG -> A, ...
    path = osp.join(out_dir, 'processedResults', 'summaryTable.csv')
    os.makedirs(osp.dirname(path), exist_ok=True)
    lines = [',FileName,VoiceVote,VoiceLevel,FaceVote,FaceLevel,MultiModalVote,MultiModalLevel']
    for i, clip in enumerate(sorted(clips, key=lambda c: c.path)):
        stem = osp.splitext(osp.basename(clip.path))[0]
        intended = letters[stem.split('_')[2]]
        votes = []
        for _ in range(3):
            draw = rng.random()
            if draw < 0.75:
                votes.append(intended)
            elif draw < 0.9:
                votes.append(rng.choice([v for v in 'ADFHNS' if v != intended]))
            else:
                votes.append(f'{intended}:N' if intended != 'N' else 'N:S')  # a tie
        lines.append(f'{i + 1},{stem},{votes[0]},50,{votes[1]},50,{votes[2]},50')
    with open(path, 'w') as fh:
        fh.write('\n'.join(lines) + '\n')
    return path


__all__ = ['CREMAD_TO_RAVDESS', 'plan_cremad_corpus', 'write_cremad_summary_table']
