"""Published protocols as one word each, and HiCMAE's split folders."""

import os.path as osp

import pytest

from avemo_mm.datasets.folds import CREMAD_ACTORS, RAVDESS_ACTORS
from avemo_mm.datasets.protocols import (
    protocol_names,
    protocol_num_folds,
    protocol_split,
    read_hicmae_split,
)

# the test actors as their authors publish them
PUBLISHED_TEST_ACTORS = {
    ('ravdess', 'hicmae'): [list(range(s, s + 4)) for s in range(1, 25, 4)],
    ('ravdess', 'emobox'): [
        [1, 11, 20, 21],
        [4, 10, 12, 14],
        [8, 9, 19, 23],
        [3, 5, 7, 24],
        [2, 15, 16, 18],
        [6, 13, 17, 22],
    ],
    ('ravdess', 'chumachenko'): [[5, 10, 16, 19]],
    ('cremad', 'hicmae'): [
        list(range(1001, 1019)),
        list(range(1019, 1037)),
        list(range(1037, 1055)),
        list(range(1055, 1073)),
        list(range(1073, 1092)),
    ],
}


def test_every_shipped_protocol_is_listed():
    assert protocol_names('ravdess') == ['paper', 'chumachenko', 'emobox', 'hicmae']
    assert protocol_names('cremad') == ['paper', 'hicmae']


@pytest.mark.parametrize('corpus, name', sorted(PUBLISHED_TEST_ACTORS), ids=str)
def test_presets_hold_the_published_actors_and_validate_on_other_actors(corpus, name):
    tests = PUBLISHED_TEST_ACTORS[corpus, name]
    actors = set(RAVDESS_ACTORS if corpus == 'ravdess' else CREMAD_ACTORS)
    assert protocol_num_folds(corpus, name) == len(tests)
    folds = [protocol_split(corpus, name, k) for k in range(len(tests))]
    for k, fold in enumerate(folds):
        train, val, test = (set(fold[s]) for s in ('train', 'val', 'test'))
        assert fold['test'] == tests[k]
        assert not (train & val) and not (train & test) and not (val & test)
        assert train | val | test == actors
        # the rule: the next fold's test actors validate (Chumachenko et al. give theirs)
        expected_val = [11, 13, 18, 22] if name == 'chumachenko' else tests[(k + 1) % len(tests)]
        assert fold['val'] == expected_val
    if len(tests) > 1:
        assert sorted(a for t in tests for a in t) == sorted(actors)  # each tested once


def test_unknown_protocol_and_fold_out_of_range_name_the_choices():
    with pytest.raises(ValueError, match=r"unknown ravdess protocol 'msaf'.*'hicmae'"):
        protocol_num_folds('ravdess', 'msaf')
    with pytest.raises(ValueError, match=r"fold 6 is out of range for protocol 'hicmae'.*0..5"):
        protocol_split('ravdess', 'hicmae', 6)


def _write_hicmae(root, corpus):
    """HiCMAE's preprocessing output: splitNN/{train,test}.csv, ``face_dir wav label``."""
    if corpus == 'ravdess':
        groups = [[1, 2], [3, 4], [5, 6]]
        names = [f'01-01-0{e}-01-01-01-{a:02d}' for a in range(1, 7) for e in (1, 5)]

        def actor(n):
            return int(n[-2:])

        def line(n):
            return (
                f'/data/ravdess/faces/Actor_{actor(n):02d}/{n} /data/ravdess/audio/03{n[2:]}.wav 4'
            )
    else:
        groups = [[1001, 1002], [1003, 1004], [1005, 1006]]
        names = [f'{a}_DFA_{e}_XX' for a in range(1001, 1007) for e in ('ANG', 'SAD')]

        def actor(n):
            return int(n[:4])

        def line(n):
            return f'/data/CREMA-D/face_aligned/{n} /data/CREMA-D/AudioWAV/{n}.wav 0'

    for k, test in enumerate(groups, 1):
        split = root / f'split0{k}'
        split.mkdir(parents=True)
        for part, held_out in (('train', False), ('test', True)):
            rows = [line(n) for n in names if (actor(n) in test) == held_out]
            (split / f'{part}.csv').write_text('\n'.join(rows) + '\n')
    return groups


@pytest.mark.parametrize('corpus', ['ravdess', 'cremad'])
def test_hicmae_split_folders_are_read_with_validation_from_the_next_split(corpus, tmp_path):
    groups = _write_hicmae(tmp_path, corpus)
    split = read_hicmae_split(str(tmp_path / 'split01'))
    assert split == dict(train=groups[2], val=groups[1], test=groups[0])
    assert read_hicmae_split(str(tmp_path / 'split03'))['val'] == groups[0]  # wraps around
    (tmp_path / 'split02' / 'val.csv').write_text((tmp_path / 'split03' / 'test.csv').read_text())
    # its own val.csv, whose actors leave training
    assert read_hicmae_split(str(tmp_path / 'split02')) == dict(
        train=groups[0], val=groups[2], test=groups[1]
    )


def test_hicmae_reader_names_the_bad_line(tmp_path):
    _write_hicmae(tmp_path, 'cremad')
    bad = tmp_path / 'split01' / 'test.csv'
    bad.write_text(bad.read_text() + '/faces/clip_without_name /audio/x.wav 3\n')
    with pytest.raises(ValueError, match=r'test.csv:5: .* hold no RAVDESS or CREMA-D file name'):
        read_hicmae_split(str(tmp_path / 'split01'))
    with pytest.raises(FileNotFoundError, match='train.csv does not exist'):
        read_hicmae_split(str(tmp_path))


def test_datasets_take_a_protocol_or_a_hicmae_folder(ravdess_prepared, ravdess_root, tmp_path):
    from mmaction.registry import DATASETS
    from mmengine.registry import init_default_scope

    init_default_scope('mmaction')
    common = dict(
        type='RavdessDataset',
        ann_file=osp.join(ravdess_prepared, 'annotations.json'),
        data_root=ravdess_root,
        pipeline=[],
    )
    test = DATASETS.build(dict(common, protocol='hicmae', fold=0, split='test', num_folds=10))
    assert {d['actor'] for d in test.load_data_list()} == {1, 2, 3, 4}
    assert test.num_folds == 6  # the protocol's own count, whatever num_folds says
    for bad, message in (
        (dict(protocol='msaf'), "unknown ravdess protocol 'msaf'"),
        (dict(protocol='hicmae', fold=6), r'fold 6 is out of range .*protocol .hicmae.'),
        (dict(protocol='hicmae', split_file='x.json'), 'not both'),
    ):
        with pytest.raises(ValueError, match=message):
            DATASETS.build(dict(common, **bad))
    _write_hicmae(tmp_path, 'ravdess')
    folder = DATASETS.build(dict(common, split_file=str(tmp_path / 'split02'), split='test'))
    assert {d['actor'] for d in folder.load_data_list()} == {3, 4}
