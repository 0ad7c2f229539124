"""Subject-independent folds: no actor in two splits of one fold.

**Decision** (docs/method.md, Protocol): sort the actor ids, deal them round-robin
into ``num_folds`` groups; fold ``f`` tests on group ``f``, validates on group
``(f + 1) % num_folds`` and trains on the rest. The actor ids are the corpus's
official list (RAVDESS 1-24, CREMA-D 1001-1091), not the actors that happen to have
readable files, so a broken file never shifts the folds: they are identical on
every machine. A user can replace them with a split file (another paper's folds).
"""

from __future__ import annotations

import json
import os
import os.path as osp
from collections.abc import Sequence

SPLITS = ('train', 'val', 'test')
RAVDESS_ACTORS = tuple(range(1, 25))
CREMAD_ACTORS = tuple(range(1001, 1092))


def make_actor_folds(actors: Sequence[int], num_folds: int = 10) -> list[dict[str, list[int]]]:
    """Deal actors into folds.

    Args:
        actors (Sequence[int]): Actor ids (any order; duplicates are an error).
        num_folds (int): Number of folds, >= 3. Defaults to ``10``.

    Returns:
        list[dict[str, list[int]]]: For each fold, sorted actor ids under ``'train'``,
        ``'val'`` and ``'test'``.
    """
    if num_folds < 3:
        raise ValueError(f'num_folds must be >= 3 (train, val and test groups), got {num_folds}')
    ordered = sorted(actors)
    if len(set(ordered)) != len(ordered):
        raise ValueError('actor ids must be unique')
    groups = [ordered[g::num_folds] for g in range(num_folds)]
    folds = []
    for f in range(num_folds):
        val_group = (f + 1) % num_folds
        train = sorted(a for g, grp in enumerate(groups) if g not in (f, val_group) for a in grp)
        folds.append(dict(train=train, val=sorted(groups[val_group]), test=sorted(groups[f])))
    return folds


def write_fold_files(folds: list[dict[str, list[int]]], out_dir: str) -> list[str]:
    """Write ``fold_{f}.json`` (one split per key) into ``out_dir``; return the paths."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for f, fold in enumerate(folds):
        path = osp.join(out_dir, f'fold_{f}.json')
        with open(path + '.partial', 'w') as fh:
            json.dump(fold, fh, indent=1)
            fh.write('\n')
        os.replace(path + '.partial', path)
        paths.append(path)
    return paths


def load_split_file(path: str) -> dict[str, list[int]]:
    """Read a split file: JSON ``{"train": [...], "val": [...], "test": [...]}``.

    Actor ids may be ints or strings of digits (``"03"``). ``val`` may be empty
    or absent (papers that publish train/test only).

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: A key is missing or unknown, or an actor is in two splits.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'split file {path} does not exist')
    with open(path) as fh:
        raw = json.load(fh)
    unknown = set(raw) - set(SPLITS)
    if unknown or 'train' not in raw or 'test' not in raw:
        raise ValueError(f'{path}: keys must be train, test and optionally val; got {sorted(raw)}')
    split = {name: sorted(int(a) for a in raw.get(name, [])) for name in SPLITS}
    check_disjoint(split, source=path)
    return split


def check_disjoint(split: dict[str, list[int]], source: str = 'split') -> None:
    """Raise ``ValueError`` if an actor appears in two splits."""
    for i, a in enumerate(SPLITS):
        for b in SPLITS[i + 1 :]:
            shared = set(split.get(a, [])) & set(split.get(b, []))
            if shared:
                raise ValueError(f'{source}: actors {sorted(shared)} are in both {a} and {b}')
