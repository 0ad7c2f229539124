from .emotion_metric import EmotionMetric, confusion_matrix, scores_from_confusion

__all__ = ['EmotionMetric', 'confusion_matrix', 'scores_from_confusion']
