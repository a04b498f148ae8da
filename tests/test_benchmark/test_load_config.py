"""The benchmark composes several config files through ``_base_``."""
import pytest

from mmskel2vec.benchmark.pretrain_step import load_config


def test_several_files_become_one_config(tmp_path):
    model = tmp_path / 'model.py'
    model.write_text("model = dict(type='Skeleton2Vec', depth=8)\n")
    schedule = tmp_path / 'schedule.py'
    schedule.write_text('train_cfg = dict(max_epochs=3)\n')
    cfg = load_config([str(model), str(schedule)],
                      {'model.depth': 2})
    assert cfg.model == dict(type='Skeleton2Vec', depth=2)
    assert cfg.train_cfg.max_epochs == 3
    assert load_config([str(model)]).model.depth == 8


def test_a_key_in_two_files_is_refused(tmp_path):
    a, b = tmp_path / 'a.py', tmp_path / 'b.py'
    a.write_text('x = 1\n')
    b.write_text('x = 2\n')
    with pytest.raises(KeyError, match='Duplicate key'):
        load_config([str(a), str(b)])
