"""How well the preparation found the faces, actor by actor.

Reads the per-clip records that ``tools/data/prepare_dataset.py`` wrote and prints one
Markdown table: per actor its clips, the mean share of the frames the detector looked
at in which it found a face, and the clips with no face at all (cropped at the centre
instead). A low row means that actor's face crops are mostly guesses: look at their
``faces/`` before training. ``--out`` also writes the figures as JSON.

Example::

    python tools/analysis/face_detection_report.py data/ravdess_prepared \\
        --out work_dirs/face_detection.json
"""

import argparse
import glob
import json
import os.path as osp
from collections import defaultdict


def face_detection_by_actor(prepared_dir: str) -> dict:
    """``{'actors': {actor: {clips, detect_rate, no_face}}, 'all': {...}}`` (rates in 0-1)."""
    paths = sorted(glob.glob(osp.join(prepared_dir, 'records', '*.json')))
    if not paths:
        raise SystemExit(f'{prepared_dir}: no records/*.json (is it a prepared corpus?)')
    rates = defaultdict(list)
    for path in paths:
        with open(path) as fh:
            record = json.load(fh)
        rates[record['actor']].append(record['face_detect_rate'])

    def row(values):
        return dict(
            clips=len(values),
            detect_rate=round(sum(values) / len(values), 4),
            no_face=sum(v == 0 for v in values),
        )

    return dict(
        actors={str(a): row(v) for a, v in sorted(rates.items())},
        all=row([v for values in rates.values() for v in values]),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('prepared_dir', help='the output folder of prepare_dataset.py')
    parser.add_argument('--out', help='also write the figures to this JSON file')
    args = parser.parse_args()
    report = face_detection_by_actor(args.prepared_dir)
    lines = [
        '| actor | clips | faces found (% of frames) | clips without a face |',
        '|---|---|---|---|',
    ]
    for actor, row in [*report['actors'].items(), ('all', report['all'])]:
        lines.append(
            f'| {actor} | {row["clips"]} | {100 * row["detect_rate"]:.0f} | {row["no_face"]} |'
        )
    print('\n'.join(lines))
    if args.out:
        with open(args.out, 'w') as fh:
            json.dump(report, fh, indent=1)


if __name__ == '__main__':
    main()
