"""Prepare RAVDESS or CREMA-D once: probe, crop faces into a cache, write annotations,
fold files and a report of every skipped file.

Resumable: interrupt it (Ctrl-C) and run the same command again; it continues where
it stopped, and a half-written file is never taken as done.

Examples::

    python tools/data/prepare_dataset.py ravdess data/RAVDESS data/ravdess_prepared
    python tools/data/prepare_dataset.py cremad data/CREMA-D data/cremad_prepared \\
        --face-size 112 --workers 8

The fold lists alone: ``python tools/data/print_folds.py ravdess``.
"""

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from avemo_mm.datasets.preparation import PrepareSettings, prepare_corpus  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('corpus', choices=['ravdess', 'cremad'])
    parser.add_argument('data_root', help='the corpus as downloaded')
    parser.add_argument('out_dir', help='cache, annotations, folds and report')
    parser.add_argument('--face-size', type=int, default=224, help='face crop side (pixels)')
    parser.add_argument('--num-folds', type=int, default=10)
    parser.add_argument('--workers', type=int, default=2, help='parallel processes')
    parser.add_argument('--min-frames', type=int, default=16)
    parser.add_argument('--max-duration', type=float, default=20.0, help='seconds')
    parser.add_argument('--min-audio', type=float, default=1.0, help='seconds')
    parser.add_argument('--detect-every', type=int, default=3, help='face detector stride')
    parser.add_argument(
        '--second-look',
        choices=['cnn', 'haar'],
        default='cnn',
        help='who looks again where the strict Haar cascade finds a face in fewer than half '
        "of the frames: dlib's CNN detector or the permissive cascades",
    )
    parser.add_argument(
        '--align-eyes',
        action='store_true',
        help='turn each face crop so that the eyes lie level (OpenCV eye cascade)',
    )
    args = parser.parse_args()
    settings = PrepareSettings(
        corpus=args.corpus,
        data_root=args.data_root,
        out_dir=args.out_dir,
        face_size=args.face_size,
        min_frames=args.min_frames,
        max_duration=args.max_duration,
        min_audio=args.min_audio,
        detect_every=args.detect_every,
        second_look=args.second_look,
        align_eyes=args.align_eyes,
    )
    try:
        prepare_corpus(settings, num_folds=args.num_folds, workers=args.workers)
    except FileNotFoundError as err:
        sys.exit(f'error: {err}')
    except KeyboardInterrupt:
        sys.exit(130)  # the usual exit status after Ctrl-C


if __name__ == '__main__':
    main()
