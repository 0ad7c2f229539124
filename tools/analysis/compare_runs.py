"""Cross-validation runs side by side: the fused model against its ablations.

Reads the ``report.json`` that ``tools/cross_validate.py`` wrote in each work dir and
prints one Markdown table: the test WAR of every fold the runs have in common, mean
+- std, mean UAR, and the first run's WAR minus each run's, paired by fold (with the
fused model first: its gain over each ablation), +- its standard error. A run may
name several work dirs, comma-separated: repeats of one setting (other seeds), paired
with the first run's repeats in order. ``--out`` also writes the table.

Example::

    python tools/analysis/compare_runs.py audio-visual=work_dirs/cv_av \\
        audio=work_dirs/cv_at video=work_dirs/cv_vs --out work_dirs/fusion_gain.md
    # two seeds each: the difference is then over 2 x (number of folds) pairs
    python tools/analysis/compare_runs.py av=work_dirs/cv_av,work_dirs/cv_av_s1 \\
        concat=work_dirs/cv_concat,work_dirs/cv_concat_s1
    # on the synthetic RAVDESS: also how well each run told apart the 4 face groups and
    # the 4 voice groups (the most a single modality can tell)
    python tools/analysis/compare_runs.py av=work_dirs/cv_av video=work_dirs/cv_vs \\
        --synthetic-groups
"""

import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from avemo_mm.datasets.emotions import RAVDESS_CLASSES  # noqa: E402
from avemo_mm.datasets.synthetic import AUDIO_GROUP, VISUAL_GROUP  # noqa: E402
from avemo_mm.evaluation import compare_reports  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='+', metavar='NAME=WORK_DIR[,WORK_DIR...]')
    parser.add_argument('--out', help='also write the table to this file')
    parser.add_argument(
        '--synthetic-groups',
        action='store_true',
        help="add the accuracy over the synthetic RAVDESS's 4 face and 4 voice groups",
    )
    args = parser.parse_args(argv)
    reports = {}
    for run in args.runs:
        name, sep, work_dirs = run.partition('=')
        if not sep or not name or not work_dirs:
            parser.error(f'{run!r}: write each run as NAME=WORK_DIR[,WORK_DIR...]')
        if name in reports:
            parser.error(f'{name!r} named twice: give its repeats as one comma-separated list')
        reports[name] = []
        for work_dir in work_dirs.split(','):
            path = osp.join(work_dir, 'report.json')
            if not osp.isfile(path):
                parser.error(
                    f'{path} not found: run tools/cross_validate.py --work-dir {work_dir}'
                )
            with open(path) as fh:
                reports[name].append(json.load(fh))
    groups = None
    if args.synthetic_groups:
        classes = {tuple(r['classes']) for repeats in reports.values() for r in repeats}
        if classes != {tuple(RAVDESS_CLASSES)}:
            parser.error('--synthetic-groups needs reports of the 8 RAVDESS classes')
        groups = {'face groups': VISUAL_GROUP, 'voice groups': AUDIO_GROUP}
    table = compare_reports(reports, groups)
    print(table, end='')
    if args.out:
        with open(args.out, 'w') as fh:
            fh.write(table)


if __name__ == '__main__':
    main()
