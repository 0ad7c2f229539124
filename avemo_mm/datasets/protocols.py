"""Published evaluation protocols, one word each, shipped as plain split files.

``protocol='paper'`` is the paper's 10 actor folds (:mod:`.folds`); every other name
reads ``splits/<corpus>_<name>/fold_<k>.json`` beside this module, one
``{"train", "val", "test"}`` split of actor ids per fold (the format of
``split_file=``). The published figures measured under each are in
``avemo_mm/evaluation/paper_results.py``.

**Decision** (docs/method.md, Protocols): the published protocols name test actors
only, and their authors select checkpoints on the test fold. We never do: the
validation actors of fold ``k`` are the test actors of fold ``k + 1`` (as in the
paper's own protocol), taken out of the training actors, so every actor validates
once and our numbers are not test-selected (and train on fewer actors). A protocol
that publishes validation actors (Chumachenko et al.) keeps them.
"""

from __future__ import annotations

import os
import os.path as osp
import re

from .folds import SPLITS, check_disjoint, load_split_file

SPLITS_DIR = osp.join(osp.dirname(osp.abspath(__file__)), 'splits')
DEFAULT_PROTOCOL = 'paper'


def protocol_names(corpus: str) -> list[str]:
    """The protocols of a corpus (``'ravdess'`` or ``'cremad'``), ``'paper'`` first."""
    prefix = f'{corpus}_'
    shipped = sorted(d[len(prefix) :] for d in os.listdir(SPLITS_DIR) if d.startswith(prefix))
    return [DEFAULT_PROTOCOL, *shipped]


def protocol_dir(corpus: str, protocol: str) -> str:
    """The folder of a shipped protocol's split files.

    Raises:
        ValueError: Unknown protocol (names the corpus's protocols), or ``'paper'``,
            whose folds are computed, not shipped.
    """
    names = protocol_names(corpus)
    if protocol not in names or protocol == DEFAULT_PROTOCOL:
        raise ValueError(
            f'unknown {corpus} protocol {protocol!r}; choose one of {names} '
            f"('{DEFAULT_PROTOCOL}' is the paper's 10 folds, computed by make_actor_folds)"
        )
    return osp.join(SPLITS_DIR, f'{corpus}_{protocol}')


def protocol_num_folds(corpus: str, protocol: str) -> int | None:
    """How many folds a shipped protocol has (None for ``'paper'``: any number)."""
    if protocol == DEFAULT_PROTOCOL:
        return None
    return len([f for f in os.listdir(protocol_dir(corpus, protocol)) if f.endswith('.json')])


def protocol_split(corpus: str, protocol: str, fold: int) -> dict[str, list[int]]:
    """Fold ``fold`` of a shipped protocol.

    Raises:
        ValueError: Unknown protocol, or ``fold`` out of range (names both).
    """
    num_folds = protocol_num_folds(corpus, protocol)
    if not 0 <= fold < num_folds:
        raise ValueError(
            f'fold {fold} is out of range for protocol {protocol!r} of {corpus}, which '
            f'has {num_folds} fold(s) (valid: 0..{num_folds - 1})'
        )
    return load_split_file(osp.join(protocol_dir(corpus, protocol), f'fold_{fold}.json'))


# RAVDESS ``03-01-05-01-02-01-12`` (the last field is the actor), CREMA-D ``1076_MTI_NEU_XX``
_RAVDESS_STEM = re.compile(r'(?:\d\d-){6}(\d\d)$')
_CREMAD_STEM = re.compile(r'(\d{4})_[A-Z]{3}_[A-Z]{3}_[A-Z]{2}$')


def _actor_of(paths: list[str], source: str) -> int:
    for path in paths:
        stem = osp.splitext(osp.basename(path.rstrip('/')))[0]
        for pattern in (_RAVDESS_STEM, _CREMAD_STEM):
            found = pattern.search(stem)
            if found:
                return int(found.group(1))
    raise ValueError(f'{source}: {paths} hold no RAVDESS or CREMA-D file name')


def _read_hicmae_csv(path: str) -> list[int]:
    actors = set()
    with open(path) as fh:
        for number, line in enumerate(fh, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 3:
                raise ValueError(f'{path}:{number}: expected "face_dir wav label", got {line!r}')
            actors.add(_actor_of([fields[1], fields[0]], f'{path}:{number}'))
    return sorted(actors)


def read_hicmae_split(split_dir: str) -> dict[str, list[int]]:
    """Actor ids of one split written by HiCMAE's preprocessing.

    HiCMAE (Sun et al. 2024) writes ``split01/``, ``split02/`` ... each with
    ``train.csv`` and ``test.csv``: one clip per line, space-separated ``face_dir
    wav label``, with RAVDESS or CREMA-D file names in the paths. The actor is read
    from the file names (the wav's, else the face folder's). Without a ``val.csv``,
    the validation actors follow this module's rule: the test actors of the next
    split folder beside this one (after the last, the first), taken out of training.

    Args:
        split_dir (str): One ``splitNN`` folder.

    Returns:
        dict[str, list[int]]: ``train``, ``val`` (empty when there is neither
        ``val.csv`` nor a sibling split), ``test``.

    Raises:
        FileNotFoundError: ``train.csv`` or ``test.csv`` is missing.
        ValueError: A line without a recognisable file name (names file and line),
            or an actor in two splits.
    """
    split_dir = osp.normpath(split_dir)
    for name in ('train', 'test'):
        if not osp.isfile(osp.join(split_dir, f'{name}.csv')):
            raise FileNotFoundError(
                f'{osp.join(split_dir, name)}.csv does not exist (a HiCMAE split folder '
                'holds train.csv and test.csv)'
            )
    split = {n: _read_hicmae_csv(osp.join(split_dir, f'{n}.csv')) for n in ('train', 'test')}
    split['val'] = []
    if osp.isfile(osp.join(split_dir, 'val.csv')):
        split['val'] = _read_hicmae_csv(osp.join(split_dir, 'val.csv'))
    else:  # the rule of this module: the next split's test actors validate
        parent, here = osp.split(split_dir)
        siblings = sorted(
            d
            for d in os.listdir(parent)
            if re.fullmatch(r'split\d+', d) and osp.isfile(osp.join(parent, d, 'test.csv'))
        )
        if here in siblings and len(siblings) > 1:
            following = siblings[(siblings.index(here) + 1) % len(siblings)]
            split['val'] = _read_hicmae_csv(osp.join(parent, following, 'test.csv'))
    split['train'] = [a for a in split['train'] if a not in split['val']]
    split = {name: split[name] for name in SPLITS}
    check_disjoint(split, source=split_dir)
    return split
