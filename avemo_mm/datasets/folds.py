"""Subject-independent folds: no actor in two splits of one fold.

**Decision** (docs/method.md, Protocol): sort the actor ids, deal them round-robin
into ``num_folds`` groups, where the ids tell the sex (RAVDESS: odd ids male, even
female) one sex forward and the other backward, so every group holds both sexes as
evenly as the counts allow; fold ``f`` tests on group ``f``, validates on group
``(f + 1) % num_folds`` and trains on the rest. The actor ids are the corpus's
official list (RAVDESS 1-24, CREMA-D 1001-1091), not the actors that happen to have
readable files, so a broken file never shifts the folds: they are identical on
every machine. A user can replace them with a split file (another paper's folds).
"""

from __future__ import annotations

import csv
import json
import os
import os.path as osp
from collections.abc import Mapping, Sequence

SPLITS = ('train', 'val', 'test')
RAVDESS_ACTORS = tuple(range(1, 25))
CREMAD_ACTORS = tuple(range(1001, 1092))
# RAVDESS numbers its male actors odd and its female actors even
RAVDESS_SEX = {a: 'male' if a % 2 else 'female' for a in RAVDESS_ACTORS}


def make_actor_folds(
    actors: Sequence[int], num_folds: int = 10, sex: Mapping[int, str] | None = None
) -> list[dict[str, list[int]]]:
    """Deal actors into folds.

    With ``sex``, the sorted actors of the first id's sex are dealt round-robin from
    the first group on, those of the other sex from the last group backwards, so
    every group holds both sexes as evenly as the counts allow, the group sizes
    differ by at most one, and a corpus's first few actors (small test corpora)
    still land in different groups. With RAVDESS's 24 actors in 10 groups, the
    plain deal gave every group a single sex (fold 0 tested on actors 1, 11, 21,
    all male, and validated on 2, 12, 22, all female).

    Args:
        actors (Sequence[int]): Actor ids (any order; duplicates are an error).
        num_folds (int): Number of folds, >= 3. Defaults to ``10``.
        sex (Mapping[int, str], optional): Each actor's sex; None deals the sorted
            ids as they come. Defaults to ``None``.

    Returns:
        list[dict[str, list[int]]]: For each fold, sorted actor ids under ``'train'``,
        ``'val'`` and ``'test'``.
    """
    if num_folds < 3:
        raise ValueError(f'num_folds must be >= 3 (train, val and test groups), got {num_folds}')
    ordered = sorted(actors)
    if len(set(ordered)) != len(ordered):
        raise ValueError('actor ids must be unique')
    groups = [[] for _ in range(num_folds)]
    if sex is None:
        for i, actor in enumerate(ordered):
            groups[i % num_folds].append(actor)
    else:
        # the first id's sex forward from group 0, the other backward from the last
        # group: each sex spreads evenly, and the sizes stay within one of each other
        first = sex[ordered[0]]
        for forward in (True, False):
            same = [a for a in ordered if (sex[a] == first) == forward]
            for i, actor in enumerate(same):
                g = i % num_folds
                groups[g if forward else num_folds - 1 - g].append(actor)
    groups = [sorted(grp) for grp in groups]
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


def read_cremad_demographics(path: str) -> dict[int, str]:
    """Each actor's sex (``'male'`` / ``'female'``) from CREMA-D's ``VideoDemographics.csv``.

    Raises:
        ValueError: The file has no ``ActorID`` or ``Sex`` column (names the file).
    """
    with open(path, newline='') as fh:
        rows = list(csv.DictReader(fh))
    if not rows or not {'ActorID', 'Sex'} <= set(rows[0]):
        raise ValueError(f'{path}: expected the columns ActorID and Sex (CREMA-D demographics)')
    return {int(row['ActorID']): row['Sex'].strip().lower() for row in rows}


def fold_sex_balance(folds: list[dict[str, list[int]]], sex: Mapping[int, str]) -> list[dict]:
    """How many actors of each sex every fold tests and validates on.

    Returns:
        list[dict]: Per fold ``{'fold', 'test_male', 'test_female', 'val_male',
        'val_female'}`` (actors without a known sex are not counted).
    """
    rows = []
    for f, fold in enumerate(folds):
        row = dict(fold=f)
        for split in ('test', 'val'):
            for s in ('male', 'female'):
                row[f'{split}_{s}'] = sum(sex.get(a) == s for a in fold[split])
        rows.append(row)
    return rows
