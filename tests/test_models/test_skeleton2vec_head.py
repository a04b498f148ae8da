import pytest
import torch

from mmskel2vec.models.heads import Skeleton2VecHead


def make_mask(batch=2, num_t=4, joints=5, masked=3, seed=0):
    gen = torch.Generator().manual_seed(seed)
    mask = torch.zeros(batch, num_t, joints, dtype=torch.bool)
    for b in range(batch):
        for t in range(num_t):
            mask[b, t, torch.randperm(joints, generator=gen)[:masked]] = True
    return mask


def test_predicts_only_masked_tokens():
    head = Skeleton2VecHead(in_channels=16, embed_dims=8, depth=1,
                            num_heads=2, num_joints=5, num_tokens_t=4,
                            target_dims=12)
    mask = make_mask()
    latent = torch.randn(2, 4 * 2, 16)
    pred = head(latent, mask)
    assert pred.shape == (int(mask.sum()), 12)


def test_visible_latents_land_at_their_grid_positions():
    head = Skeleton2VecHead(in_channels=4, embed_dims=4, depth=0,
                            num_heads=1, num_joints=3, num_tokens_t=2)
    torch.nn.init.eye_(head.decoder_embed.weight)
    torch.nn.init.zeros_(head.decoder_embed.bias)
    mask = torch.tensor([[[True, False, True], [False, True, True]]])
    latent = torch.arange(8.).reshape(1, 2, 4)
    grid = {}

    def grab(module, args, output):
        grid['x'] = args[0]
    head.norm.register_forward_hook(grab)
    head(latent, mask)
    x = grid['x'].reshape(2, 3, 4) - head.pos_embed(2)[0]
    torch.testing.assert_close(x[0, 1], latent[0, 0])
    torch.testing.assert_close(x[1, 0], latent[0, 1])
    torch.testing.assert_close(x[0, 0], head.mask_token[0])


def test_losses():
    pred, target = torch.zeros(4, 3), torch.full((4, 3), 2.0)
    assert Skeleton2VecHead(loss='mse').loss(pred, target).item() == 4.0
    smooth = Skeleton2VecHead(loss='smooth_l1', beta=1.0)
    assert smooth.loss(pred, target).item() == pytest.approx(1.5)
    with pytest.raises(ValueError):
        Skeleton2VecHead(loss='l3')


def test_layer_scale_makes_decoder_blocks_start_near_identity():
    kwargs = dict(in_channels=8, embed_dims=8, depth=2, num_heads=2,
                  num_joints=5, num_tokens_t=4)
    head = Skeleton2VecHead(layer_scale_init=1e-4, **kwargs)
    gammas = [p for n, p in head.named_parameters() if n.endswith('gamma')]
    assert len(gammas) == 4  # two per block
    assert all(torch.equal(g, torch.full_like(g, 1e-4)) for g in gammas)
    plain = Skeleton2VecHead(**kwargs)
    assert not any(n.endswith('gamma') for n, _ in plain.named_parameters())
    # each block adds at most a 1e-4-scaled residual to its input
    x = torch.randn(2, 20, 8)
    for block in head.blocks:
        assert (block(x) - x).abs().max() < 1e-2
