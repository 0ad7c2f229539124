"""avemo_mm.evaluation.cue_oracles: the oracles' corpus plan, folds and held-out test."""

import argparse

import numpy as np
import pytest

from avemo_mm.evaluation.cue_oracles import (
    add_corpus_arguments,
    corpus_clips_and_folds,
    held_out_predictions,
)


def _parse(*argv):
    parser = argparse.ArgumentParser()
    add_corpus_arguments(parser)
    return parser, parser.parse_args(argv)


def test_the_plan_and_the_folds_are_the_generators_and_the_trainings():
    clips, actors, folds = corpus_clips_and_folds(*_parse('--actors', '10'), root='corpus')
    assert len(clips) == 300 and clips[0].path.startswith('corpus/Actor_01/')
    assert sorted(set(actors)) == list(range(1, 11)) and len(folds) == 5
    for fold in folds:  # two held-out actors a fold, none trained on
        tested = set(fold['test']) & set(actors)
        assert len(tested) == 2 and not tested & set(fold['train'])


@pytest.mark.parametrize(
    'argv, told',
    [
        (['--actors', '30'], '--actors must be in 1..24'),
        (['--actors', '2', '--folds', '5'], 'no actor of folds'),
    ],
)
def test_settings_that_leave_a_fold_without_test_actors_are_refused(argv, told, capsys):
    with pytest.raises(SystemExit):
        corpus_clips_and_folds(*_parse(*argv))
    assert told in capsys.readouterr().err


def test_the_learner_is_trained_on_the_training_actors_only():
    actors = np.repeat([1, 2, 3], 20)
    y = np.tile([0, 1], 30)
    x = np.where(actors[:, None] == 3, -1.0, 1.0) * (y[:, None] - 0.5)  # actor 3 reversed
    test, predicted = held_out_predictions(x, y, actors, dict(train=[1, 2], test=[3]), c=1.0)
    assert test.sum() == 20 and (predicted != y[test]).all()  # it learnt 1 and 2's rule
