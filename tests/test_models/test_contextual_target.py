import pytest
import torch
import torch.nn.functional as F

from mmskel2vec.models.target_generators import ContextualTargetGenerator


class FakeTeacher(torch.nn.Module):

    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    def forward_tokens(self, x, mask=None, return_layers=False):
        assert return_layers and mask is None
        return self.layers[-1], self.layers


def test_average_of_top_k_instance_normalized_then_layer_normed():
    torch.manual_seed(0)
    layers = [torch.randn(2, 10, 8) * (i + 1) + i for i in range(5)]
    gen = ContextualTargetGenerator(top_k=3, layer_norm='instance')
    target = gen(torch.zeros(2, 4, 3, 3), FakeTeacher(layers))
    expected = 0
    for layer in layers[-3:]:
        mean = layer.mean(1, keepdim=True)
        var = layer.var(1, unbiased=False, keepdim=True)
        expected = expected + (layer - mean) / torch.sqrt(var + 1e-5)
    expected = F.layer_norm(expected / 3, (8, ))
    torch.testing.assert_close(target, expected, rtol=1e-4, atol=1e-4)
    # the final layer norm makes every token zero-mean, unit-variance
    torch.testing.assert_close(target.mean(-1), torch.zeros(2, 10),
                               atol=1e-5, rtol=0)


def test_layer_norm_and_none_options():
    layers = [torch.randn(1, 4, 6) for _ in range(2)]
    gen = ContextualTargetGenerator(top_k=2, layer_norm='layer',
                                    final_norm=False)
    expected = (F.layer_norm(layers[0], (6, )) +
                F.layer_norm(layers[1], (6, ))) / 2
    torch.testing.assert_close(gen.combine(layers), expected)
    plain = ContextualTargetGenerator(top_k=1, layer_norm='none',
                                      final_norm=False)
    torch.testing.assert_close(plain.combine(layers), layers[1])


def test_does_not_modify_teacher_outputs():
    layers = [torch.randn(1, 4, 6) for _ in range(2)]
    copies = [t.clone() for t in layers]
    ContextualTargetGenerator(top_k=2, layer_norm='none').combine(layers)
    for a, b in zip(layers, copies):
        torch.testing.assert_close(a, b)


def test_errors():
    with pytest.raises(ValueError):
        ContextualTargetGenerator(layer_norm='batch')
    with pytest.raises(ValueError, match='exceeds'):
        ContextualTargetGenerator(top_k=3).combine([torch.zeros(1, 2, 3)])


class _Layers(torch.nn.Module):
    """A stand-in teacher that returns fixed block outputs per sequence."""

    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    def forward_tokens(self, skeletons, return_layers=True):
        index = skeletons[:, 0, 0, 0].long()
        return None, [layer[index] for layer in self.layers]


def test_center_positions_removes_the_batch_mean_at_every_position():
    torch.manual_seed(0)
    layers = [torch.randn(5, 4, 6) + torch.randn(1, 4, 6) * 3
              for _ in range(2)]
    skeletons = torch.arange(5.).reshape(5, 1, 1, 1).expand(5, 2, 2, 3)
    teacher = _Layers(layers)
    plain = ContextualTargetGenerator(top_k=2, final_norm=False)
    centered = ContextualTargetGenerator(top_k=2, final_norm=False,
                                         center_positions=True)
    average = plain(skeletons, teacher)
    out = centered(skeletons, teacher)
    torch.testing.assert_close(out, average - average.mean(0, keepdim=True))
    torch.testing.assert_close(out.mean(0), torch.zeros(4, 6), atol=1e-6,
                               rtol=0)
    # chunked teacher passes centre over the whole batch, then normalize
    chunked = ContextualTargetGenerator(top_k=2, center_positions=True,
                                        chunk_size=2)
    whole = ContextualTargetGenerator(top_k=2, center_positions=True,
                                      chunk_size=None)
    torch.testing.assert_close(chunked(skeletons, teacher),
                               whole(skeletons, teacher))
    torch.testing.assert_close(
        whole(skeletons, teacher),
        F.layer_norm(out, (6, )))
