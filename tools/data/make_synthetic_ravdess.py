"""Write a small synthetic corpus in the exact RAVDESS layout and naming.

``OUT/Actor_XX/01-01-EE-II-SS-RR-AA.mp4`` (H.264 video of a drawn face, 48 kHz AAC
voice-like audio); the face's expression and the voice's pitch, loudness and rate
depend on the emotion, with noise and jitter. See avemo_mm/datasets/synthetic.py for
how the label is split between the modalities. Seeded: the same arguments give the
same clips. ``--episodes`` shows each clip's emotion in one window of 1.4-1.8 s,
at a random time, in the face and the voice together (neutral face, quiet voice around
it). ``--realistic`` draws the clips as recordings show them: speakers with their own
pitch by sex and the voice's cue relative to it, background noise and reverberation,
persons with their own look in cluttered scenes, moving light, faces at many sizes
(avemo_mm/datasets/synthetic_realistic.py). ``--layout cremad`` writes the CREMA-D
layout instead (FLV + wav sidecars + summaryTable.csv), to try the CREMA-D code path.

Examples::

    python tools/data/make_synthetic_ravdess.py data/ravdess_synthetic --actors 10
    python tools/data/make_synthetic_ravdess.py data/ravdess_episodes --actors 10 --episodes
    python tools/data/make_synthetic_ravdess.py data/cremad_synthetic --layout cremad
    python tools/data/make_synthetic_ravdess.py data/ravdess_realistic --realistic --snr 8 20
"""

import argparse
import os.path as osp
import sys
import time
from functools import partial
from multiprocessing import Pool

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from avemo_mm.datasets.synthetic import plan_corpus, write_clip  # noqa: E402
from avemo_mm.datasets.synthetic_cremad import (  # noqa: E402
    plan_cremad_corpus,
    write_cremad_summary_table,
)
from avemo_mm.datasets.synthetic_options import (  # noqa: E402
    add_condition_arguments,
    conditions_from_arguments,
    frame_size,
)
from avemo_mm.datasets.synthetic_realistic import write_cremad_demographics  # noqa: E402

CONDITIONS = ('snr_db', 'rt60', 'face_scale', 'strength')  # set on the command line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='corpus root (Actor_XX folders go here)')
    parser.add_argument('--layout', choices=['ravdess', 'cremad'], default='ravdess')
    parser.add_argument('--actors', type=int, default=10, help='number of actors (1-24)')
    parser.add_argument('--statements', type=int, nargs='+', default=[1, 2], choices=[1, 2])
    parser.add_argument('--repetitions', type=int, nargs='+', default=[1], choices=[1, 2])
    parser.add_argument(
        '--video-only', action='store_true', help='also write the silent 02-... video-only files'
    )
    parser.add_argument(
        '--episodes',
        action='store_true',
        help='the emotion shows in one aligned window of each clip, not all of it',
    )
    parser.add_argument(
        '--realistic',
        action='store_true',
        help='speakers, noise, echo, persons, clutter, moving light, many face sizes',
    )
    add_condition_arguments(parser, CONDITIONS, help_prefix='with --realistic: ')
    parser.add_argument('--size', default='160x120', help='frame WIDTHxHEIGHT (even numbers)')
    parser.add_argument('--fps', type=float, default=30.0)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--workers', type=int, default=2, help='parallel processes')
    args = parser.parse_args()
    if not 1 <= args.actors <= 24:
        parser.error('--actors must be in 1..24 (RAVDESS has 24 actors)')
    width, height = frame_size(parser, args.size)
    conditions = conditions_from_arguments(parser, args, CONDITIONS) if args.realistic else None

    if args.layout == 'cremad':
        clips = plan_cremad_corpus(args.out_dir, args.actors, num_sentences=2)
        write_cremad_summary_table(args.out_dir, clips, seed=args.seed)
    else:
        clips = plan_corpus(
            args.out_dir,
            args.actors,
            tuple(args.statements),
            tuple(args.repetitions),
            args.video_only,
        )
    if conditions is not None and args.layout == 'cremad':  # the sex each speaker was drawn with
        write_cremad_demographics(args.out_dir, [clip.actor for clip in clips])
    job = partial(
        write_clip,
        seed=args.seed,
        size=(width, height),
        fps=args.fps,
        episode=args.episodes,
        conditions=conditions,
    )
    start = time.time()
    with Pool(args.workers) as pool:
        for i, _ in enumerate(pool.imap_unordered(job, clips), 1):
            if i % 20 == 0 or i == len(clips):
                print(f'  {i}/{len(clips)} clips written', flush=True)
    print(
        f'wrote {len(clips)} clips for {args.actors} actors to {args.out_dir} '
        f'in {time.time() - start:.1f} s'
    )


if __name__ == '__main__':
    main()
