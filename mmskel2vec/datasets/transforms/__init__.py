"""Data transforms registered in MMAction2's ``TRANSFORMS`` registry."""
from .augmentation import RandomRotation3D, RandomTemporalCropResize
from .joint_order import ReorderJoints
from .masking import MotionAwareTubeMasking
from .normalize import PreNormalize3DLayout
from .validation import check_keypoint

__all__ = [
    'MotionAwareTubeMasking', 'PreNormalize3DLayout', 'RandomRotation3D',
    'RandomTemporalCropResize', 'ReorderJoints', 'check_keypoint'
]
