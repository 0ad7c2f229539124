from .emotion_metric import (
    EmotionMetric,
    confusion_matrix,
    emotion_metrics,
    scores_from_confusion,
)

__all__ = ['EmotionMetric', 'confusion_matrix', 'emotion_metrics', 'scores_from_confusion']
