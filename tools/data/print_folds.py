"""Print (and optionally write) the actor folds of a corpus.

The folds deal the corpus's official actor ids round-robin, RAVDESS's balanced by sex
(docs/method.md), so they
are the same on every machine; the preparation tool writes the same lists into
``OUT/folds/``.

Examples::

    python tools/data/print_folds.py ravdess
    python tools/data/print_folds.py cremad --num-folds 10 --out-dir folds/cremad
"""

import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from avemo_mm.datasets.corpora import get_corpus  # noqa: E402
from avemo_mm.datasets.folds import write_fold_files  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('corpus', choices=['ravdess', 'cremad'])
    parser.add_argument('--num-folds', type=int, default=10)
    parser.add_argument('--out-dir', help='also write fold_K.json files here')
    args = parser.parse_args()
    folds = get_corpus(args.corpus).actor_folds(args.num_folds)
    for f, fold in enumerate(folds):
        print(f'fold {f}: ' + json.dumps(fold))
    if args.out_dir:
        write_fold_files(folds, args.out_dir)
        print(f'wrote {len(folds)} fold files to {args.out_dir}')


if __name__ == '__main__':
    main()
