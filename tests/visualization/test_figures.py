"""new_figure / save_figure: PNGs drawn without pyplot, written atomically."""

import os

from PIL import Image

from avemo_mm.visualization.figures import new_figure, save_figure


def test_a_figure_is_saved_as_a_png_of_its_size(tmp_path):
    figure = new_figure(2.0, 1.0)
    figure.add_subplot().plot([0, 1], [1, 0])
    path = save_figure(figure, str(tmp_path / 'sub' / 'line.png'))
    assert Image.open(path).size == (240, 120)  # 120 dpi
    assert os.listdir(tmp_path / 'sub') == ['line.png']
