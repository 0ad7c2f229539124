"""How far a realistic synthetic corpus's voice groups can be told apart at all.

The realistic corpus (``tools/data/make_synthetic_ravdess.py --realistic``) sounds each
clip's voice from its tracks: the pitch in semitones from the speaker's base, the
speaking rate and the loudness (``draw_voice``). This tool draws those tracks for every
clip of the same corpus (the generator's seed and clip plan, without rendering a
frame or a sample of sound), fits a logistic regression on features of them on each
fold's training actors and tests it on its held-out ones, with the folds the
preparation writes and the datasets read (RAVDESS's 24 ids dealt by sex: a corpus of 10
actors has 2 in each fold's test group). It is the ceiling of a model that heard the
true tracks perfectly, with features that see the contour's slope, curvature and range
and the rate's and loudness's level and peaks:

- ``within the clip``: each track against the clip's own median, as a model hears it
  (it does not know the speaker's neutral voice);
- ``against the speaker``: against the speaker's true base pitch, rate and loudness,
  which no model is given: an upper bound.

for the cues ``pitch``, ``rate+loudness`` and ``all``. Prints the mean share of
held-out clips in their right voice group (4 groups, chance 25%) by fold and writes
everything as JSON with ``--out``.

Example::

    python tools/analysis/voice_cue_oracle.py --actors 10 --folds 5 --out oracle.json
"""

import argparse

import numpy as np

from avemo_mm.datasets.synthetic import AUDIO_GROUP, clip_rng
from avemo_mm.datasets.synthetic_options import (
    add_condition_arguments,
    conditions_from_arguments,
)
from avemo_mm.datasets.synthetic_realistic import (
    RecordingConditions,
    actor_speaker,
    draw_voice,
)
from avemo_mm.evaluation.cue_oracles import (
    add_corpus_arguments,
    corpus_clips_and_folds,
    held_out_predictions,
    write_report,
)

TRACK_RATE = 1000  # samples a second: the tracks are slow, the draws do not depend on it
CUES = {
    'pitch': ('pitch',),
    'rate+loudness': ('rate', 'loudness'),
    'all': ('pitch', 'rate', 'loudness'),
}
REFERENCES = ('within the clip', 'against the speaker')


def track_features(pitch: np.ndarray, rate: np.ndarray, loudness: np.ndarray) -> dict:
    """Features of one clip's tracks over its speech (each ``[S]``), by track name:
    the pitch's cubic fit, range, spread and 8 segment means about its mean; the rate's
    and the loudness's mean, peak and low."""
    x = np.linspace(-1.0, 1.0, len(pitch))
    segments = [part.mean() - pitch.mean() for part in np.array_split(pitch, 8)]
    return {
        'pitch': [*np.polyfit(x, pitch, 3), np.ptp(pitch), pitch.std(), *segments],
        'rate': [rate.mean(), rate.max(), rate.min()],
        'loudness': [loudness.mean(), loudness.max(), loudness.min()],
    }


def clip_features(clip, seed: int, conditions: RecordingConditions) -> dict:
    """``{reference: {track: features}}`` of one clip, from the tracks it was sounded from."""
    tracks = draw_voice(clip, clip_rng(clip, seed), TRACK_RATE, conditions)
    speech = tracks.speech
    pitch, rate, loudness = tracks.pitch[speech], tracks.rate[speech], tracks.loudness[speech]
    speaker = actor_speaker(clip.actor)
    return {
        'within the clip': track_features(
            pitch - np.median(pitch), rate / np.median(rate), loudness / np.median(loudness)
        ),
        'against the speaker': track_features(
            pitch, rate / speaker.rate, loudness / speaker.loudness
        ),
    }


def held_out_accuracy(x: np.ndarray, y: np.ndarray, actors: np.ndarray, fold: dict) -> float:
    """Train on the fold's training actors, the share right on its test ones."""
    test, predicted = held_out_predictions(x, y, actors, fold, c=10.0)
    return float((predicted == y[test]).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_corpus_arguments(parser)
    add_condition_arguments(parser, ('strength',), help_prefix="the generator's range: ")
    args = parser.parse_args()
    conditions = conditions_from_arguments(parser, args, ('strength',))
    clips, actors, folds = corpus_clips_and_folds(parser, args)
    features = [clip_features(clip, args.seed, conditions) for clip in clips]
    y = np.array([AUDIO_GROUP[clip.emotion - 1] for clip in clips])

    report = dict(vars(args), clips=len(clips), chance=0.25, results={})
    print(f'{len(clips)} clips of {args.actors} actors, {args.folds} folds; voice groups right')
    for reference in REFERENCES:
        report['results'][reference] = {}
        for cue, names in CUES.items():
            x = np.array([sum((f[reference][n] for n in names), []) for f in features])
            by_fold = [held_out_accuracy(x, y, actors, fold) for fold in folds]
            report['results'][reference][cue] = dict(by_fold=by_fold, mean=float(np.mean(by_fold)))
            print(
                f'  {reference:20s} {cue:14s} {100 * np.mean(by_fold):5.1f}%  '
                f'(folds: {" ".join(f"{100 * a:.0f}" for a in by_fold)})'
            )
    write_report(report, args.out)


if __name__ == '__main__':
    main()
