"""Pictures: confusion matrix, t-SNE of embeddings, attention maps, timelines, and the
annotated video. Every function writes a file (PNG, CSV/JSON, MP4) and returns its path."""

from .annotated_video import (
    draw_face_label,
    draw_prediction,
    write_all_faces_video,
    write_annotated_video,
)
from .attention import plot_spatial_attention, plot_temporal_attention
from .confusion_matrix import plot_confusion_matrix
from .embeddings import plot_tsne, tsne_2d
from .timeline import plot_timeline, timeline_rows, write_timeline

__all__ = [
    'draw_face_label',
    'draw_prediction',
    'plot_confusion_matrix',
    'plot_spatial_attention',
    'plot_temporal_attention',
    'plot_timeline',
    'plot_tsne',
    'timeline_rows',
    'tsne_2d',
    'write_all_faces_video',
    'write_annotated_video',
    'write_timeline',
]
