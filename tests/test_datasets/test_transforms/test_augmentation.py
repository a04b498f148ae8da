import numpy as np
import pytest

from mmskel2vec.datasets.transforms.augmentation import (
    RandomRotation3D, RandomTemporalCropResize, resize_time)


def test_rotation_preserves_lengths_and_zeros():
    rng = np.random.default_rng(0)
    kp = rng.normal(size=(2, 10, 25, 3)).astype(np.float32)
    kp[1] = 0
    np.random.seed(0)
    out = RandomRotation3D(max_angle=0.5).transform({'keypoint': kp.copy()})
    rotated = out['keypoint']
    assert rotated.dtype == np.float32
    np.testing.assert_allclose(
        np.linalg.norm(rotated, axis=-1), np.linalg.norm(kp, axis=-1),
        rtol=1e-5, atol=1e-6)
    assert not np.allclose(rotated[0], kp[0])
    assert (rotated[1] == 0).all()


def test_rotation_zero_angle_is_identity():
    kp = np.random.default_rng(0).normal(size=(1, 4, 5, 3))
    out = RandomRotation3D(max_angle=0.0).transform({'keypoint': kp.copy()})
    np.testing.assert_allclose(out['keypoint'], kp)


def test_resize_time_endpoints_and_linearity():
    kp = np.arange(5, dtype=np.float32).reshape(1, 5, 1, 1) * np.ones(
        (1, 5, 2, 3), np.float32)
    out = resize_time(kp, 9)
    assert out.shape == (1, 9, 2, 3)
    np.testing.assert_allclose(out[0, :, 0, 0], np.linspace(0, 4, 9))


def test_crop_resize_ignores_padding_and_is_deterministic_in_test():
    kp = np.zeros((1, 50, 25, 3), np.float32)
    kp[:, 10:30] = np.arange(20, dtype=np.float32)[None, :, None, None] + 1
    t = RandomTemporalCropResize(clip_len=16, p_interval=(1.0, ))
    out = t.transform({'keypoint': kp.copy(), 'total_frames': 50})
    assert out['keypoint'].shape == (1, 16, 25, 3)
    assert out['total_frames'] == 16
    np.testing.assert_allclose(out['keypoint'][0, [0, -1], 0, 0], [1, 20])
    again = t.transform({'keypoint': kp.copy(), 'total_frames': 50})
    np.testing.assert_array_equal(out['keypoint'], again['keypoint'])


def test_random_crop_stays_inside_valid_frames():
    kp = np.zeros((1, 40, 3, 3), np.float32)
    kp[:, :30] = np.arange(1, 31, dtype=np.float32)[None, :, None, None]
    t = RandomTemporalCropResize(clip_len=8, p_interval=(0.5, 1.0))
    np.random.seed(0)
    lows, highs = [], []
    for _ in range(50):
        out = t.transform({'keypoint': kp.copy()})['keypoint'][0, :, 0, 0]
        lows.append(out[0])
        highs.append(out[-1])
        assert out[-1] - out[0] >= 30 * 0.5 - 2
    assert min(lows) >= 1 and max(highs) <= 30
    assert len(set(lows)) > 1


@pytest.mark.parametrize('kp, message', [
    (np.zeros((1, 0, 25, 3), np.float32), 'fewer than'),
    (np.full((1, 4, 25, 3), np.inf, np.float32), 'non-finite'),
])
def test_crop_resize_bad_input(kp, message):
    with pytest.raises(ValueError, match=message) as err:
        RandomTemporalCropResize(clip_len=8).transform({
            'keypoint': kp, 'frame_dir': 'bad_sample'})
    assert 'bad_sample' in str(err.value)
