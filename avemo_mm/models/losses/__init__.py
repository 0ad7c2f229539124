from .emotion_metric_loss import EmotionMetricLoss
from .triplet_loss import TripletLoss
from .triplet_mining import TRIPLET_MINING_MODES, pairwise_squared_distances, triplet_margin_loss

__all__ = [
    'EmotionMetricLoss',
    'TRIPLET_MINING_MODES',
    'TripletLoss',
    'pairwise_squared_distances',
    'triplet_margin_loss',
]
