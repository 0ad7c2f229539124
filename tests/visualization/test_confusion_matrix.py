"""plot_confusion_matrix: a PNG of the row-normalised matrix."""

import numpy as np
from PIL import Image

from avemo_mm.visualization import plot_confusion_matrix


def test_the_matrix_is_drawn(tmp_path):
    matrix = np.array([[5, 1, 0], [0, 4, 2], [1, 0, 6]])
    path = plot_confusion_matrix(matrix, ['calm', 'happy', 'sad'], str(tmp_path / 'cm.png'))
    image = np.asarray(Image.open(path).convert('RGB'))
    assert image.shape[0] > 200 and image.std() > 10  # not a blank canvas
