"""tools/analysis/measure_departures.py as a user runs it: on the tiny config and a
prepared synthetic corpus, every departure measured, the same seed the same figures."""

import json

from conftest import REPO_ROOT, TINY_CONFIG, assert_ok, run_tool

from avemo_mm.evaluation.paper_departures import departures_table, failures


def _measure(ravdess_root, ravdess_prepared, out):
    return assert_ok(
        run_tool(
            [
                'tools/analysis/measure_departures.py',
                TINY_CONFIG,
                '--steps',
                '2',
                '--out',
                out,
                '--cfg-options',
                f'data_root={ravdess_root}',
                f'ann_file={ravdess_prepared}/annotations.json',
                'fold=1',
                'num_folds=4',
            ],
            REPO_ROOT,
        )
    )


def test_every_departure_of_the_tiny_config_measured_and_repeated(
    ravdess_root, ravdess_prepared, tmp_path
):
    first, again = str(tmp_path / 'first.json'), str(tmp_path / 'again.json')
    log = _measure(ravdess_root, ravdess_prepared, first)
    _measure(ravdess_root, ravdess_prepared, again)
    result = json.load(open(first))
    # the tiny head keeps the CPU recipe: seven departures, each a variant of its own
    assert sorted(result['departures']) == sorted(
        [
            'video_neck.residual',
            'cls_head.input_norm',
            'cls_head.scale_corr',
            'cls_head.eq8',
            'cls_head.cross_gate',
            'cls_head.skip_tanh',
            'cls_head.embed_norm',
        ]
    )
    assert len(result['variants']) == 9 and result['imgs_shape'] == [8, 6, 3, 4, 64, 64]
    assert departures_table(result, 'after') in log
    # the gate that starts shut gives W no gradient at the start: the tiny recipe's
    # price, which the paper configs do not pay
    assert 'W without gradient' in failures(result['variants']['config'])
    assert 'W without gradient' not in failures(result['variants']['cls_head.cross_gate=None'])
    assert result['variants'] == json.load(open(again))['variants']


def test_a_config_of_one_branch_is_refused_by_name():
    from conftest import TINY_AUDIO_CONFIG

    proc = run_tool(['tools/analysis/measure_departures.py', TINY_AUDIO_CONFIG], REPO_ROOT)
    assert proc.returncode != 0
    assert f'{TINY_AUDIO_CONFIG}: the departures are those of the audio-visual model' in (
        proc.stdout
    )
