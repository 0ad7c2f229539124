from .cross_validation import aggregate_folds, compare_reports, format_report
from .fusion_statistics import fusion_statistics
from .metrics import EmotionMetric, confusion_matrix, emotion_metrics, scores_from_confusion
from .paper_results import PAPER_ACCURACY, paper_variant

__all__ = [
    'compare_reports',
    'PAPER_ACCURACY',
    'EmotionMetric',
    'aggregate_folds',
    'confusion_matrix',
    'emotion_metrics',
    'format_report',
    'fusion_statistics',
    'paper_variant',
    'scores_from_confusion',
]
