"""Class names and emotion polarities of the two corpora, in one documented order.

Polarity follows Mikels' wheel of emotions (valence), as the paper's Section 3.4:
positive = {happy, calm, surprised}, negative = {sad, fearful, angry, disgust},
neutral has none. Losses and plots read these from the dataset's ``metainfo``
(keys ``classes`` and ``polarities``), never from a table of their own.
"""

from __future__ import annotations

POLARITIES = ('positive', 'negative', 'neutral')

# RAVDESS emotion codes 01-08, in code order: label = code - 1.
RAVDESS_CLASSES = (
    'neutral',
    'calm',
    'happy',
    'sad',
    'angry',
    'fearful',
    'disgust',
    'surprised',
)
# CREMA-D emotion codes of the file names, in alphabetical order: label = index.
CREMAD_CODES = ('ANG', 'DIS', 'FEA', 'HAP', 'NEU', 'SAD')
CREMAD_CLASSES = ('angry', 'disgust', 'fearful', 'happy', 'neutral', 'sad')

_POLARITY = {
    'neutral': 'neutral',
    'calm': 'positive',
    'happy': 'positive',
    'surprised': 'positive',
    'sad': 'negative',
    'fearful': 'negative',
    'angry': 'negative',
    'disgust': 'negative',
}


def polarities_of(classes: tuple[str, ...]) -> tuple[str, ...]:
    """The polarity of each class name, in the same order."""
    unknown = [c for c in classes if c not in _POLARITY]
    if unknown:
        raise ValueError(
            f'no polarity is defined for classes {unknown}; known: {sorted(_POLARITY)}'
        )
    return tuple(_POLARITY[c] for c in classes)


def emotion_metainfo(classes: tuple[str, ...]) -> dict:
    """The ``metainfo`` dict of an emotion dataset: class names and polarities."""
    return dict(classes=tuple(classes), polarities=polarities_of(tuple(classes)))
