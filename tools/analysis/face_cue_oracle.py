"""How far a realistic synthetic corpus's face groups can be told apart from its frames.

The realistic corpus (``tools/data/make_synthetic_ravdess.py --realistic``) draws each
clip's face at its own size, position and light, with the expression shown in one
window (the episode) at a strength of its own. This tool renders every clip of the same
corpus again (the generator's seed and clip plan) and reads the face where the renderer
drew it, at the true box of every frame and with the true episode: the frames a model
would get from a perfect face tracker that also knew when the expression shows. It
fits a logistic regression on grey face crops (``CROP`` pixels a side, each
standardised, which takes the light's overall gain out) on each fold's training actors
and tests it on its held-out ones, with the folds the preparation writes and the
datasets read (RAVDESS's 24 ids dealt by sex). Three views of the face:

- ``expression``: the crops averaged over the episode, as a model sees a face;
- ``change``: that minus the crops averaged outside the episode, the person's own
  neutral face in the same clip: what changed, with the person's look taken away;
- ``whole clip``: the crops averaged over the whole clip, for a learner that is not
  told when the expression shows.

Prints the mean share of held-out clips in their right face group (4 groups, chance
25%) by fold, and for the held-out clips pooled by face size and by strength (below and
above the conditions' middle); writes everything as JSON with ``--out``. With
``--corpus`` the frames are decoded from that corpus's files (the generator's output
with the same arguments), so H.264's losses are in them; without it they are the
renderer's own. With ``--prepared`` the crops are the preparation's own
(``faces/<clip>.mp4``: its detector's boxes), still with the true episode.

Example::

    python tools/analysis/face_cue_oracle.py --actors 10 --folds 5 --out oracle.json
    python tools/analysis/face_cue_oracle.py --corpus data/ravdess_realistic \
        --prepared data/ravdess_realistic_prepared
"""

import argparse
import os.path as osp
from functools import partial
from multiprocessing import Pool

import cv2
import numpy as np

from avemo_mm.datasets.synthetic import VISUAL_GROUP, clip_rng, episode_weight
from avemo_mm.datasets.synthetic_options import (
    add_condition_arguments,
    conditions_from_arguments,
    frame_size,
)
from avemo_mm.datasets.synthetic_realistic import (
    RecordingConditions,
    actor_speaker,
    render_realistic_clip,
)
from avemo_mm.evaluation.cue_oracles import (
    add_corpus_arguments,
    corpus_clips_and_folds,
    held_out_predictions,
    write_report,
)
from avemo_mm.utils.media import iter_video_frames

CROP = 32  # pixels a side of the face crops the classifier reads
FACE_HALF_SIDE = 60  # the box's half side in the drawing's units (face 50, hair above it)
VIEWS = ('expression', 'change', 'whole clip')
CONDITIONS = ('face_scale', 'strength')  # the generator's ranges that move the faces


def face_crops(frames: np.ndarray, centers: np.ndarray, pixels: np.ndarray) -> np.ndarray:
    """Grey crops ``[V, CROP, CROP]`` float32 of ``frames`` ``[V, Y, X, 3]`` at the true
    face boxes: centred at ``centers`` ``[V, 2]`` (x, y), ``FACE_HALF_SIDE * pixels``
    ``[V]`` half a side; each standardised to zero mean and unit spread."""
    crops = np.empty((len(frames), CROP, CROP), np.float32)
    for t, frame in enumerate(frames):
        grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)
        zoom = CROP / (2 * FACE_HALF_SIDE * pixels[t])
        cx, cy = centers[t]
        warp = np.array([[zoom, 0, CROP / 2 - zoom * cx], [0, zoom, CROP / 2 - zoom * cy]])
        crops[t] = cv2.warpAffine(
            grey, warp, (CROP, CROP), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE
        )
    return standardised(crops)


def prepared_crops(path: str) -> np.ndarray:
    """The preparation's face crops of one clip (``faces/<clip>.mp4``) as
    ``[V, CROP, CROP]`` float32 grey crops, each standardised."""
    crops = [
        cv2.resize(
            cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY), (CROP, CROP), interpolation=cv2.INTER_AREA
        )
        for frame in iter_video_frames(path)
    ]
    return standardised(np.stack(crops).astype(np.float32))


def standardised(crops: np.ndarray) -> np.ndarray:
    """Each crop of ``[V, CROP, CROP]`` at zero mean and unit spread (in place)."""
    flat = crops.reshape(len(crops), -1)
    flat -= flat.mean(axis=1, keepdims=True)
    flat /= flat.std(axis=1, keepdims=True) + 1e-6
    return crops


def clip_features(
    clip,
    seed: int,
    conditions: RecordingConditions,
    size: tuple[int, int],
    fps: float,
    decode: bool = False,
    prepared: str | None = None,
) -> dict:
    """``{view: [CROP * CROP], 'face_scale': mean, 'strength': s}`` of one clip: from
    the true face boxes of its frames as rendered, or (``decode``) as H.264 left them in
    the clip's file, or from the crops in ``prepared`` (a preparation's output)."""
    frames, _, info = render_realistic_clip(
        clip, clip_rng(clip, seed), size, fps, conditions=conditions
    )
    if prepared:
        stem = osp.splitext(osp.basename(clip.path))[0]
        crops = prepared_crops(osp.join(prepared, 'faces', stem + '.mp4'))
    else:
        if decode:
            frames = np.stack(list(iter_video_frames(clip.path)))[: len(frames)]
        pixels = info['face_scale'] * size[1] / 120 * max(actor_speaker(clip.actor).shape)
        crops = face_crops(frames, info['face_center'], pixels)
    weight = episode_weight(np.arange(len(crops)) / fps, *info['episode'])
    expression = crops[weight >= 0.5].mean(axis=0)
    neutral = crops[weight <= 0.05].mean(axis=0)
    return {
        'expression': expression.ravel(),
        'change': (expression - neutral).ravel(),
        'whole clip': crops.mean(axis=0).ravel(),
        'face_scale': float(info['face_scale'].mean()),
        'strength': float(info['strength']),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_corpus_arguments(parser)
    parser.add_argument('--size', default='160x120', help="the generator's --size")
    parser.add_argument('--fps', type=float, default=30.0, help="the generator's --fps")
    add_condition_arguments(parser, CONDITIONS, help_prefix="the generator's range: ")
    parser.add_argument('--corpus', help='read the frames from this generated corpus')
    parser.add_argument(
        '--prepared', help="read the face crops from this preparation's faces/ instead"
    )
    parser.add_argument('--workers', type=int, default=2, help='parallel processes')
    args = parser.parse_args()
    size = frame_size(parser, args.size)
    conditions = conditions_from_arguments(parser, args, CONDITIONS)
    clips, actors, folds = corpus_clips_and_folds(parser, args, root=args.corpus or '')
    if args.corpus and (missing := [c.path for c in clips if not osp.isfile(c.path)]):
        parser.error(f'--corpus {args.corpus}: {len(missing)} clips missing, e.g. {missing[0]}')
    if args.prepared:
        stems = [osp.splitext(osp.basename(clip.path))[0] for clip in clips]
        faces = [osp.join(args.prepared, 'faces', stem + '.mp4') for stem in stems]
        if missing := [path for path in faces if not osp.isfile(path)]:
            parser.error(f'--prepared: {len(missing)} face clips missing, e.g. {missing[0]}')

    job = partial(
        clip_features,
        seed=args.seed,
        conditions=conditions,
        size=size,
        fps=args.fps,
        decode=bool(args.corpus),
        prepared=args.prepared,
    )
    with Pool(args.workers) as pool:
        features = pool.map(job, clips)
    y = np.array([VISUAL_GROUP[clip.emotion - 1] for clip in clips])
    scale = np.array([f['face_scale'] for f in features])
    strength = np.array([f['strength'] for f in features])
    subsets = {
        'small faces': scale < np.mean(args.face_scale),
        'large faces': scale >= np.mean(args.face_scale),
        'weak expressions': strength < np.mean(args.strength),
        'strong expressions': strength >= np.mean(args.strength),
    }
    report = dict(vars(args), clips=len(clips), chance=0.25, results={})
    print(f'{len(clips)} clips of {args.actors} actors, {args.folds} folds; face groups right')
    for view in VIEWS:
        x = np.stack([f[view] for f in features])
        right = np.zeros(len(clips))
        by_fold = []
        for fold in folds:
            test, predicted = held_out_predictions(x, y, actors, fold, c=0.1)
            right[test] = predicted == y[test]
            by_fold.append(float(right[test].mean()))
        tested = np.isin(actors, sorted({a for fold in folds for a in fold['test']}))
        pooled = {
            name: float(right[mask & tested].mean()) if (mask & tested).any() else None
            for name, mask in subsets.items()
        }
        report['results'][view] = dict(by_fold=by_fold, mean=float(np.mean(by_fold)), **pooled)
        print(
            f'  {view:10s} {100 * np.mean(by_fold):5.1f}%  '
            f'(folds: {" ".join(f"{100 * a:.0f}" for a in by_fold)}; '
            + ', '.join(f'{k} {100 * v:.0f}%' for k, v in pooled.items() if v is not None)
            + ')'
        )
    write_report(report, args.out)


if __name__ == '__main__':
    main()
