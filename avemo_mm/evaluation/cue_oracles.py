"""What the cue oracles share (``tools/analysis/voice_cue_oracle.py`` and
``face_cue_oracle.py``): a synthetic corpus's clip plan and the training's actor folds as
command-line arguments, a held-out test of a simple learner, and the JSON report."""

from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..datasets.corpora import get_corpus
from ..datasets.synthetic import SyntheticClip, plan_corpus


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's clip plan (``--actors``, ``--statements``, ``--repetitions``,
    ``--seed``), the training's ``--folds`` and ``--out``."""
    parser.add_argument('--actors', type=int, default=10, help='as the generator (1-24)')
    parser.add_argument('--statements', type=int, nargs='+', default=[1, 2], choices=[1, 2])
    parser.add_argument('--repetitions', type=int, nargs='+', default=[1], choices=[1, 2])
    parser.add_argument('--seed', type=int, default=0, help="the generator's --seed")
    parser.add_argument('--folds', type=int, default=5, help="cross-validation's num_folds")
    parser.add_argument('--out', help='write the figures as JSON here')


def corpus_clips_and_folds(
    parser: argparse.ArgumentParser, args: argparse.Namespace, root: str = ''
) -> tuple[list[SyntheticClip], np.ndarray, list[dict]]:
    """The corpus's clips (paths under ``root``), each clip's actor ``[C]`` and the folds
    the preparation writes and the datasets read (RAVDESS's 24 ids dealt by sex: a corpus
    of 10 actors has 2 in each fold's test group). A setting that gives a fold no test
    actor is a command-line error."""
    if not 1 <= args.actors <= 24:
        parser.error('--actors must be in 1..24 (RAVDESS has 24 actors)')
    clips = plan_corpus(root, args.actors, tuple(args.statements), tuple(args.repetitions))
    try:
        folds = get_corpus('ravdess').actor_folds(args.folds)
    except ValueError as err:
        parser.error(str(err).replace('num_folds', '--folds'))
    actors = np.array([clip.actor for clip in clips])
    if empty := [f for f, fold in enumerate(folds) if not np.isin(actors, fold['test']).any()]:
        parser.error(f'--folds {args.folds}: no actor of folds {empty} is among the {args.actors}')
    return clips, actors, folds


def held_out_predictions(
    x: np.ndarray, y: np.ndarray, actors: np.ndarray, fold: dict, c: float
) -> tuple[np.ndarray, np.ndarray]:
    """A logistic regression (``C = c``, the inverse of its regularisation) on features ``x``
    ``[C, F]`` standardised on the fold's training actors, trained there on labels ``y``
    ``[C]``; the test actors' mask ``[C]`` and its predictions there."""
    train, test = np.isin(actors, fold['train']), np.isin(actors, fold['test'])
    mean, std = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
    model = LogisticRegression(max_iter=5000, C=c)
    model.fit((x[train] - mean) / std, y[train])
    return test, model.predict((x[test] - mean) / std)


def write_report(report: dict, path: str | None) -> None:
    """Write ``report`` as JSON to ``path`` (nothing when None) and say so."""
    if path:
        with open(path, 'w') as fh:
            json.dump(report, fh, indent=1)
        print(f'wrote {path}')


__all__ = [
    'add_corpus_arguments',
    'corpus_clips_and_folds',
    'held_out_predictions',
    'write_report',
]
