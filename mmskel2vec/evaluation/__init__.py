"""Feature-quality measures used while pretraining."""
from .knn import weighted_knn_top1
from .target_statistics import PositionVarianceShare

__all__ = ['PositionVarianceShare', 'weighted_knn_top1']
