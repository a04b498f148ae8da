"""`Pretrained` with strict=True: exact loads or named failures."""
import pytest
import torch
from mmengine.registry import WEIGHT_INITIALIZERS as ROOT_INITIALIZERS

from mmaction.registry import MODELS, WEIGHT_INITIALIZERS
from mmskel2vec.models.weight_init import (PretrainedKeyError,
                                           StrictPretrainedInit)

TINY = dict(type='SkeletonTransformer', clip_len=16, embed_dims=16, depth=2,
            num_heads=2)


def backbone(**kwargs):
    return MODELS.build(dict(TINY, **kwargs))


def strict_init(checkpoint, **kwargs):
    """``init_cfg`` of a strict pretrained load."""
    return dict(type='Pretrained', strict=True, checkpoint=str(checkpoint),
                **kwargs)


@pytest.fixture
def ckpt(tmp_path):
    """A pretraining-style checkpoint with student and teacher entries."""
    source = backbone()
    state = {f'backbone.{k}': v for k, v in source.state_dict().items()}
    state.update({f'teacher.{k}': v + 1 for k, v in
                  source.state_dict().items()})
    path = tmp_path / 'pre.pth'
    torch.save(dict(state_dict=state), path)
    return path, source


def test_registered_under_mmengines_name_in_the_mmaction_scope():
    assert WEIGHT_INITIALIZERS.get('Pretrained') is StrictPretrainedInit
    # MMEngine's own registry (other scopes) is left alone
    assert ROOT_INITIALIZERS.get('Pretrained') is not StrictPretrainedInit


def test_without_strict_it_is_mmengines_partial_load(ckpt):
    """Configs that do not ask for strictness keep MMEngine's loading."""
    path, source = ckpt
    state = torch.load(path)['state_dict']
    first = next(k for k in state if k.startswith('backbone.'))
    partial = path.parent / 'partial.pth'
    torch.save(dict(state_dict={first: state[first]}), partial)
    model = backbone(init_cfg=dict(type='Pretrained', checkpoint=str(partial),
                                   prefix='backbone.'))
    model.init_weights()  # no error: MMEngine loads with strict=False
    name = first[len('backbone.'):]
    assert torch.equal(model.state_dict()[name], state[first])


def test_loads_student_or_teacher_exactly(ckpt):
    path, source = ckpt
    model = backbone(init_cfg=strict_init(path, prefix='backbone.'))
    model.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key
    teacher = backbone(init_cfg=strict_init(path, prefix='teacher.'))
    teacher.init_weights()
    assert torch.equal(teacher.norm.weight, source.norm.weight + 1)


def test_missing_keys_fail_with_their_names(ckpt, tmp_path):
    path, _ = ckpt
    state = torch.load(path)['state_dict']
    del state['backbone.norm.weight'], state['backbone.blocks.1.mlp.0.bias']
    broken = tmp_path / 'broken.pth'
    torch.save(dict(state_dict=state), broken)
    model = backbone(init_cfg=strict_init(broken, prefix='backbone.'))
    before = model.norm.weight.clone()
    with pytest.raises(PretrainedKeyError) as err:
        model.init_weights()
    message = str(err.value)
    assert '2 missing keys' in message
    assert 'norm.weight' in message and 'blocks.1.mlp.0.bias' in message
    assert torch.equal(model.norm.weight, before)  # nothing was loaded


def test_wrong_architecture_names_unexpected_and_mismatched_keys(ckpt):
    path, _ = ckpt
    model = backbone(depth=1, embed_dims=8,
                     init_cfg=strict_init(path, prefix='backbone.'))
    with pytest.raises(PretrainedKeyError) as err:
        model.init_weights()
    message = str(err.value)
    assert 'unexpected keys' in message and 'blocks.1.attn.qkv.weight' in \
        message
    assert 'shape mismatches' in message and 'patch_embed.weight' in message


def test_wrong_prefix_lists_the_prefixes_there_are(ckpt):
    path, _ = ckpt
    model = backbone(init_cfg=strict_init(path, prefix='encoder.'))
    with pytest.raises(PretrainedKeyError, match=r"'encoder\.'.*backbone\."):
        model.init_weights()


def test_strict_false_keeps_mmengine_behaviour(ckpt, tmp_path):
    path, source = ckpt
    state = torch.load(path)['state_dict']
    del state['backbone.norm.weight']
    partial = tmp_path / 'partial.pth'
    torch.save(dict(state_dict=state), partial)
    model = backbone(init_cfg=dict(type='Pretrained', checkpoint=str(partial),
                                   prefix='backbone.', strict=False))
    model.init_weights()  # warns only
    assert torch.equal(model.patch_embed.weight, source.patch_embed.weight)
