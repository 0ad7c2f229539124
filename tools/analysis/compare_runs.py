"""Cross-validation runs side by side: the fused model against its ablations.

Reads the ``report.json`` that ``tools/cross_validate.py`` wrote in each work dir and
prints one Markdown table: the test WAR of every fold the runs have in common, mean
+- std, mean UAR, and the first run's mean WAR minus each run's (with the fused model
first: its gain over each ablation). ``--out`` also writes it.

Example::

    python tools/analysis/compare_runs.py audio-visual=work_dirs/cv_av \\
        audio=work_dirs/cv_at video=work_dirs/cv_vs --out work_dirs/fusion_gain.md
"""

import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from avemo_mm.evaluation import compare_reports  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='+', metavar='NAME=WORK_DIR')
    parser.add_argument('--out', help='also write the table to this file')
    args = parser.parse_args(argv)
    reports = {}
    for run in args.runs:
        name, sep, work_dir = run.partition('=')
        if not sep:
            parser.error(f'{run!r}: write each run as NAME=WORK_DIR')
        path = osp.join(work_dir, 'report.json')
        if not osp.isfile(path):
            parser.error(f'{path} not found: run tools/cross_validate.py --work-dir {work_dir}')
        with open(path) as fh:
            reports[name] = json.load(fh)
    table = compare_reports(reports)
    print(table, end='')
    if args.out:
        with open(args.out, 'w') as fh:
            fh.write(table)


if __name__ == '__main__':
    main()
