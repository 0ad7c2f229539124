"""avemo_mm.datasets.synthetic_options: the generator's settings as command-line options."""

import argparse

import pytest

from avemo_mm.datasets.synthetic_options import (
    add_condition_arguments,
    conditions_from_arguments,
    frame_size,
)
from avemo_mm.datasets.synthetic_realistic import RecordingConditions


def _parser(fields):
    parser = argparse.ArgumentParser()
    add_condition_arguments(parser, fields)
    return parser


def test_the_options_default_to_the_conditions_and_set_their_fields():
    fields = ('snr_db', 'face_scale')
    parser = _parser(fields)
    assert conditions_from_arguments(parser, parser.parse_args([]), fields) == (
        RecordingConditions()
    )
    args = parser.parse_args(['--snr', '5', '10', '--face-scale', '1', '1.1'])
    conditions = conditions_from_arguments(parser, args, fields)
    assert conditions == RecordingConditions(snr_db=(5.0, 10.0), face_scale=(1.0, 1.1))


@pytest.mark.parametrize(
    'argv, told',
    [
        (['--rt60', '-1', '0.2'], '--rt60 must be (MIN, MAX) with MIN <= MAX and MIN >= 0.0'),
        (['--strength', '1', '0.5'], '--strength must be (MIN, MAX) with MIN <= MAX'),
    ],
)
def test_a_range_that_cannot_be_drawn_names_its_option(argv, told, capsys):
    fields = ('rt60', 'strength')
    parser = _parser(fields)
    with pytest.raises(SystemExit):
        conditions_from_arguments(parser, parser.parse_args(argv), fields)
    assert told in capsys.readouterr().err


def test_frame_size_reads_width_by_height_and_refuses_the_rest(capsys):
    parser = argparse.ArgumentParser()
    assert frame_size(parser, '160X120') == (160, 120)
    with pytest.raises(SystemExit):
        frame_size(parser, '160x')
    assert "--size must be WIDTHxHEIGHT, got '160x'" in capsys.readouterr().err
