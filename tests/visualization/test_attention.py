"""The attention pictures: spatial maps over the faces, temporal matrices."""

import numpy as np
import pytest
from PIL import Image

from avemo_mm.visualization import plot_spatial_attention, plot_temporal_attention


def test_spatial_attention_is_drawn_over_each_snippet_s_face(tmp_path):
    frames = np.zeros((2, 32, 32, 3), np.uint8)
    spatial = np.random.default_rng(0).dirichlet(np.ones(4), size=(2, 3, 4))  # [N, H, s, s]
    path = plot_spatial_attention(frames, spatial, (2, 2), str(tmp_path / 'spatial.png'))
    assert Image.open(path).size[0] > Image.open(path).size[1]  # heads + 1 columns, 2 rows
    with pytest.raises(ValueError, match='does not hold the 4 spatial tokens'):
        plot_spatial_attention(frames, spatial, (3, 3), str(tmp_path / 'bad.png'))


def test_temporal_attention_has_a_panel_per_branch(tmp_path):
    weights = dict(video=np.full((2, 6, 6), 1 / 6), audio=np.eye(6)[None].repeat(2, 0))
    one = plot_temporal_attention(dict(video=weights['video']), None, str(tmp_path / '1.png'))
    two = plot_temporal_attention(weights, np.arange(6) + 0.5, str(tmp_path / '2.png'))
    assert Image.open(two).size[0] > Image.open(one).size[0]
