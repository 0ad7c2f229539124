"""File-name parsers, emotion metainfo and actor folds."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from avemo_mm.datasets.corpora import get_corpus
from avemo_mm.datasets.emotions import CREMAD_CLASSES, RAVDESS_CLASSES, emotion_metainfo
from avemo_mm.datasets.filenames import parse_cremad_name, parse_ravdess_name
from avemo_mm.datasets.folds import (
    CREMAD_ACTORS,
    RAVDESS_ACTORS,
    RAVDESS_SEX,
    load_split_file,
    make_actor_folds,
    write_fold_files,
)


def test_parse_ravdess_name_keeps_every_field():
    name = parse_ravdess_name('Actor_12/01-01-06-02-01-02-12.mp4')
    assert name.asdict() == dict(
        modality='01',
        vocal_channel='01',
        emotion=6,
        intensity=2,
        statement=1,
        repetition=2,
        actor=12,
    )


@pytest.mark.parametrize(
    'bad',
    [
        '01-01-06-02-01-02.mp4',
        '01-01-09-01-01-01-01.mp4',
        '04-01-01-01-01-01-01.mp4',
        'x1-01-01-01-01-01-01.mp4',
        '01-01-01-03-01-01-01.mp4',
    ],
)
def test_parse_ravdess_name_rejects_with_the_file_name(bad):
    with pytest.raises(ValueError, match=bad.replace('.', r'\.')):
        parse_ravdess_name(bad)


def test_parse_cremad_name():
    assert parse_cremad_name('VideoFlash/1076_MTI_NEU_XX.flv').asdict() == dict(
        actor=1076, sentence='MTI', emotion='NEU', level='XX'
    )
    with pytest.raises(ValueError, match='1001_DFA_BOR_XX'):
        parse_cremad_name('1001_DFA_BOR_XX.flv')


@given(st.text(max_size=30))
def test_parsers_never_crash_on_arbitrary_names(text):
    for parser in (parse_ravdess_name, parse_cremad_name):
        try:
            parser(text + '.mp4')
        except ValueError as err:
            assert text in str(err)


@given(
    mm=st.sampled_from(['01', '02', '03']),
    vv=st.sampled_from(['01', '02']),
    ee=st.integers(1, 8),
    ii=st.integers(1, 2),
    ss=st.integers(1, 2),
    rr=st.integers(1, 2),
    aa=st.integers(1, 24),
)
def test_ravdess_round_trip(mm, vv, ee, ii, ss, rr, aa):
    name = f'{mm}-{vv}-{ee:02d}-{ii:02d}-{ss:02d}-{rr:02d}-{aa:02d}.mp4'
    parsed = parse_ravdess_name(name)
    assert (
        parsed.modality,
        parsed.vocal_channel,
        parsed.emotion,
        parsed.intensity,
        parsed.statement,
        parsed.repetition,
        parsed.actor,
    ) == (mm, vv, ee, ii, ss, rr, aa)


def test_metainfo_orders_and_polarities():
    meta = emotion_metainfo(RAVDESS_CLASSES)
    assert meta['classes'][0] == 'neutral' and meta['classes'][7] == 'surprised'
    assert dict(zip(meta['classes'], meta['polarities'], strict=True)) == {
        'neutral': 'neutral',
        'calm': 'positive',
        'happy': 'positive',
        'sad': 'negative',
        'angry': 'negative',
        'fearful': 'negative',
        'disgust': 'negative',
        'surprised': 'positive',
    }
    cremad = emotion_metainfo(CREMAD_CLASSES)
    assert cremad['polarities'].count('positive') == 1  # happy has no related class


@pytest.mark.parametrize('actors', [RAVDESS_ACTORS, CREMAD_ACTORS], ids=['ravdess', 'cremad'])
def test_folds_are_subject_independent_on_the_real_actor_lists(actors):
    folds = get_corpus('ravdess' if actors == RAVDESS_ACTORS else 'cremad').actor_folds(10)
    tested = []
    for fold in folds:
        train, val, test = (set(fold[k]) for k in ('train', 'val', 'test'))
        assert not (train & val) and not (train & test) and not (val & test)
        assert train | val | test == set(actors)
        assert 0.07 <= len(test) / len(actors) <= 0.13 and 0.07 <= len(val) / len(actors) <= 0.13
        tested += fold['test']
    assert sorted(tested) == sorted(actors)  # every actor is tested exactly once
    sex = RAVDESS_SEX if actors == RAVDESS_ACTORS else None
    assert make_actor_folds(list(reversed(actors)), 10, sex) == folds  # same on every machine


def test_fold_round_robin_by_hand():
    folds = make_actor_folds(range(1, 25), 10)
    assert folds[0] == dict(
        test=[1, 11, 21], val=[2, 12, 22], train=sorted(set(range(1, 25)) - {1, 11, 21, 2, 12, 22})
    )
    assert folds[9]['val'] == [1, 11, 21]  # wraps around


def test_ravdess_folds_hold_both_sexes_in_every_test_and_validation_group():
    # odd ids are male, even female: the plain deal into 10 groups gave each group one sex
    for num_folds in (10, 5, 6, 4):
        for fold in get_corpus('ravdess').actor_folds(num_folds):
            for split in ('test', 'val'):
                males = sum(a % 2 for a in fold[split])
                females = len(fold[split]) - males
                assert abs(males - females) <= 1, (num_folds, fold)
    folds = get_corpus('ravdess').actor_folds(10)
    # by hand: males 1, 3, ..., 23 dealt from group 0 on, females 2, 4, ... from group 9 back
    assert folds[0] == dict(
        test=[1, 20, 21], val=[3, 18, 23], train=sorted(set(range(1, 25)) - {1, 20, 21, 3, 18, 23})
    )
    assert folds[4]['test'] == [9, 12]
    # a small corpus of the first actors still spreads over the groups
    assert [f['test'] for f in make_actor_folds(range(1, 5), 4, RAVDESS_SEX)] == [
        [1],
        [3],
        [4],
        [2],
    ]


def test_fold_files_and_split_files(tmp_path):
    paths = write_fold_files(get_corpus('ravdess').actor_folds(10), str(tmp_path))
    assert len(paths) == 10
    assert load_split_file(paths[3]) == get_corpus('ravdess').actor_folds(10)[3]
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps(dict(train=[1, 2], test=[2, 3])))
    with pytest.raises(ValueError, match=r'actors \[2\] are in both train and test'):
        load_split_file(str(bad))
    with pytest.raises(FileNotFoundError, match='nope.json'):
        load_split_file(str(tmp_path / 'nope.json'))


@pytest.mark.parametrize(
    'actors, digest',
    [(RAVDESS_ACTORS, '6cdf41e466651378'), (CREMAD_ACTORS, 'd84a99410ca8fdbf')],
    ids=['ravdess', 'cremad'],
)
def test_fold_lists_are_pinned(actors, digest):
    """The 10 folds of each real corpus, byte for byte: a change to the fold rule (or
    anything machine-dependent in it) would silently change every published table."""
    import hashlib
    import json

    folds = get_corpus('ravdess' if actors == RAVDESS_ACTORS else 'cremad').actor_folds(10)
    assert hashlib.sha256(json.dumps(folds, sort_keys=True).encode()).hexdigest()[:16] == digest
