"""read_sequence: one sequence from a raw file or an annotation pkl."""
import pickle

import numpy as np
import pytest

from mmskel2vec.datasets.annotation_file import AnnotationFileError
from mmskel2vec.datasets.sequence_reader import read_sequence


def test_annotation_file_by_index_and_name(tmp_path):
    samples = [dict(frame_dir=f's{i}', label=i, total_frames=5,
                    keypoint=np.full((1, 5, 20, 3), i, np.float32))
               for i in range(3)]
    path = tmp_path / 'ann.pkl'
    path.write_bytes(pickle.dumps(dict(split=dict(), annotations=samples,
                                       class_names=['a', 'b', 'c'])))
    assert read_sequence(str(path))['frame_dir'] == 's0'
    second = read_sequence(str(path), index=1)
    assert second['label'] == 1 and second['keypoint'].shape == (1, 5, 20, 3)
    assert second['class_names'] == ['a', 'b', 'c']
    assert read_sequence(str(path), frame_dir='s2')['label'] == 2
    with pytest.raises(KeyError, match='no sample with frame_dir'):
        read_sequence(str(path), frame_dir='nope')
    with pytest.raises(IndexError, match='outside its 3 samples'):
        read_sequence(str(path), index=3)


def test_bad_inputs_name_the_file(tmp_path):
    with pytest.raises(ValueError, match=r'clip\.avi: unknown skeleton file'):
        read_sequence(str(tmp_path / 'clip.avi'))
    bad = tmp_path / 'a01_s01_e01_skeleton3D.txt'
    bad.write_text('1 2 3')
    with pytest.raises(ValueError, match='a01_s01_e01_skeleton3D.txt: .*'
                       'not a whole number of frames'):
        read_sequence(str(bad))
    hostile = tmp_path / 'hostile.pkl'
    hostile.write_bytes(b'cos\nsystem\n(S"true"\ntR.')
    with pytest.raises(AnnotationFileError, match='is not allowed'):
        read_sequence(str(hostile))
