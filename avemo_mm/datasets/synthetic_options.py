"""The synthetic generator's settings as command-line options: one spelling for the
generator (``tools/data/make_synthetic_ravdess.py``) and for the tools that draw its
clips again (``tools/analysis/*_cue_oracle.py``)."""

from __future__ import annotations

import argparse

from .synthetic_realistic import RecordingConditions

# RecordingConditions field -> (its command-line option, what the range sets)
CONDITION_OPTIONS = {
    'snr_db': ('--snr', 'the speech to noise ratio range in dB'),
    'rt60': ('--rt60', 'the reverberation time range in s (0 0: dry)'),
    'face_scale': ('--face-scale', "the face's size range against the clean corpus's"),
    'strength': (
        '--strength',
        'how strongly the expression and the voice cue show (1: as clean)',
    ),
}


def add_condition_arguments(
    parser: argparse.ArgumentParser, fields: tuple[str, ...], help_prefix: str = ''
) -> None:
    """One ``MIN MAX`` option per :class:`RecordingConditions` field in ``fields``
    (stored under the field's name), its default the class's."""
    for field in fields:
        option, what = CONDITION_OPTIONS[field]
        parser.add_argument(
            option,
            dest=field,
            type=float,
            nargs=2,
            default=list(getattr(RecordingConditions, field)),
            metavar=('MIN', 'MAX'),
            help=help_prefix + what,
        )


def conditions_from_arguments(
    parser: argparse.ArgumentParser, args: argparse.Namespace, fields: tuple[str, ...]
) -> RecordingConditions:
    """The :class:`RecordingConditions` of the parsed ``fields`` (the others at their
    defaults); a range that cannot be drawn is a command-line error naming its option."""
    try:
        return RecordingConditions(**{field: tuple(getattr(args, field)) for field in fields})
    except ValueError as err:
        message = str(err)
        for field in fields:
            message = message.replace(field, CONDITION_OPTIONS[field][0])
        parser.error(message)


def frame_size(parser: argparse.ArgumentParser, text: str) -> tuple[int, int]:
    """``'WIDTHxHEIGHT'`` (the generator's ``--size``) as ``(width, height)``; anything
    else is a command-line error."""
    try:
        width, height = (int(v) for v in text.lower().split('x'))
    except ValueError:
        parser.error(f'--size must be WIDTHxHEIGHT, got {text!r}')
    return width, height


__all__ = [
    'CONDITION_OPTIONS',
    'add_condition_arguments',
    'conditions_from_arguments',
    'frame_size',
]
