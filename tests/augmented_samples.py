"""A randomly augmented and masked synthetic dataset, and sample comparison,
for the tests of per-sample seeding."""
import numpy as np

#: Every random step of the pretraining pipelines: crop, rotation, mask.
AUGMENTING_PIPELINE = [
    dict(type='PreNormalize3D'),
    dict(type='RandomTemporalCropResize', clip_len=16, p_interval=(0.5, 1)),
    dict(type='RandomRotation3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='MotionAwareTubeMasking', t_patch=4, tube_len=2,
         mask_ratio=0.5),
    dict(type='PackActionInputs', algorithm_keys=('mask', ),
         meta_keys=('frame_dir', ))
]

#: Eight short synthetic clips through that pipeline.
SYNTHETIC_DATASET = dict(type='SyntheticSkeletonDataset', num_samples=8,
                         seed=0, min_frames=16, max_frames=24,
                         pipeline=AUGMENTING_PIPELINE)


def sample_arrays(sample):
    """Inputs and mask of a packed sample, as NumPy arrays."""
    return (sample['inputs'].numpy(),
            np.asarray(sample['data_samples'].mask))


def assert_same_sample(a, b):
    """Two packed samples have identical inputs and masks."""
    for x, y in zip(sample_arrays(a), sample_arrays(b)):
        np.testing.assert_array_equal(x, y)
