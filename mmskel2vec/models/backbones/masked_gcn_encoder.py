"""Masked-token interface for MMAction2's GCN backbones (ST-GCN etc.)."""
import contextlib
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseModule
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmaction.registry import MODELS


@contextlib.contextmanager
def batch_statistics(module: nn.Module) -> Iterator[None]:
    """Let every BatchNorm of ``module`` normalize with batch statistics.

    The BatchNorms are put in training mode with momentum 0, so the running
    statistics (and ``num_batches_tracked``) are left as they were, and are
    restored to their previous mode and momentum on exit.

    Args:
        module: Module whose BatchNorm layers are switched.
    """
    saved = []
    for bn in module.modules():
        if isinstance(bn, _BatchNorm):
            tracked = (bn.num_batches_tracked.clone()
                       if bn.num_batches_tracked is not None else None)
            saved.append((bn, bn.training, bn.momentum, tracked))
            bn.train(True)
            bn.momentum = 0.0
    try:
        yield
    finally:
        for bn, training, momentum, tracked in saved:
            bn.train(training)
            bn.momentum = momentum
            if tracked is not None:
                bn.num_batches_tracked.copy_(tracked)


def grid_to_tokens(x: torch.Tensor) -> torch.Tensor:
    """``(B, C, T', V)`` feature grid to tokens ``(B, T' * V, C)``."""
    return x.permute(0, 2, 3, 1).flatten(1, 2)


@MODELS.register_module()
class MaskedGCNEncoder(BaseModule):
    """Give a GCN backbone the ``forward_tokens`` interface of Skeleton2vec.

    ``encoder`` is any MMAction2 backbone mapping ``(N, M, T, V, C)`` to
    ``(N, M, C', T', V)`` (``STGCN``, ``AAGCN``, ``CTRGCN`` ...). Its output
    grid ``(T', V)`` is the token grid: the masking transform must use
    ``t_patch = T / T'`` (4 for ST-GCN's two temporal down-sampling stages).

    - Student (``mask`` given): a GCN cannot drop tokens, so the frames of
      every masked token (``t_patch`` frames of one joint) are replaced at
      the input by a learned ``mask_token`` of ``C`` values; the full grid is
      encoded and the visible tokens are gathered for the decoder head.
    - Teacher (``return_layers=True``): the outputs of the blocks in
      ``layer_names`` (by default every entry of the encoder's ``gcn``
      module list) that have the final temporal resolution and width are the
      block outputs the contextual target averages (ST-GCN: its last three
      stages). In eval mode the target pass normalizes with batch
      statistics by default (``target_bn='batch'``): the running statistics
      the EMA teacher copies from the student were collected on masked
      inputs.
    - ``forward(x)`` is the encoder's own recognizer forward.

    The encoder is the submodule ``encoder``, so a checkpoint's
    ``backbone.encoder.`` entries are exactly the plain backbone's state
    dict: fine-tune with ``init_cfg=dict(type='Pretrained', strict=True,
    checkpoint=..., prefix='backbone.encoder.')`` or export with
    ``tools/misc/export_backbone.py`` (which strips ``encoder.`` and drops
    ``mask_token``). Persons are folded into the batch, so the encoder's
    input normalization must not depend on the person count (ST-GCN:
    ``data_bn_type='VC'``, its default).

    Args:
        encoder (dict): Config of the GCN backbone.
        in_channels (int): Coordinates per joint ``C``. Defaults to 3.
        layer_names (list[str], optional): Submodules of the encoder whose
            outputs are the teacher's block outputs. Defaults to
            ``gcn.0 ... gcn.{n-1}``.
        target_bn (str): ``'batch'`` or ``'running'``: statistics of the
            BatchNorms in an eval-mode ``return_layers`` pass.
            Defaults to ``'batch'``.
        init_cfg (dict | list[dict], optional): MMEngine init config.
    """

    TARGET_BN = ('batch', 'running')

    def __init__(self,
                 encoder: dict,
                 in_channels: int = 3,
                 layer_names: Optional[Sequence[str]] = None,
                 target_bn: str = 'batch',
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if target_bn not in self.TARGET_BN:
            raise ValueError(f'target_bn must be one of {self.TARGET_BN}, '
                             f'got {target_bn!r}')
        self.encoder = MODELS.build(encoder)
        self.in_channels = in_channels
        self.target_bn = target_bn
        self.mask_token = nn.Parameter(torch.zeros(in_channels))
        nn.init.trunc_normal_(self.mask_token, std=0.02)
        if layer_names is None:
            blocks = getattr(self.encoder, 'gcn', None)
            layer_names = ([f'gcn.{i}' for i in range(len(blocks))]
                           if isinstance(blocks, nn.ModuleList) else [])
        modules: Dict[str, nn.Module] = dict(self.encoder.named_modules())
        unknown = [name for name in layer_names if name not in modules]
        if unknown:
            raise ValueError(f'layer_names {unknown} are not submodules of '
                             f'{type(self.encoder).__name__}')
        self.layer_names = list(layer_names)

    def mask_input(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Replace the frames of masked tokens by the mask embedding.

        Args:
            x (torch.Tensor): ``(B, T, V, C)``.
            mask (torch.Tensor): bool ``(B, T', V)``, True where masked;
                ``T`` must be a multiple of ``T'``.

        Returns:
            torch.Tensor: The masked input ``(B, T, V, C)``.
        """
        frames, tokens_t = x.shape[1], mask.shape[1]
        if mask.shape[0] != x.shape[0] or mask.shape[2] != x.shape[2] \
                or tokens_t == 0 or frames % tokens_t:
            raise ValueError(f'mask {tuple(mask.shape)} does not tile input '
                             f'{tuple(x.shape)}: need (B, T / t_patch, V)')
        frame_mask = mask.repeat_interleave(frames // tokens_t, dim=1)
        return torch.where(frame_mask[..., None],
                           self.mask_token.to(x.dtype), x)

    def encode(self, x: torch.Tensor,
               collect: bool) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """Run the encoder on ``(B, T, V, C)``; grid ``(B, C', T', V)``."""
        outputs: List[torch.Tensor] = []
        handles = []
        if collect:
            if not self.layer_names:
                raise ValueError(
                    f'{type(self.encoder).__name__} has no `gcn` module list:'
                    ' set layer_names to collect block outputs')
            modules = dict(self.encoder.named_modules())
            for name in self.layer_names:
                handles.append(modules[name].register_forward_hook(
                    lambda module, args, out: outputs.append(out)))
        use_batch_stats = collect and not self.training \
            and self.target_bn == 'batch'
        context = batch_statistics(self.encoder) if use_batch_stats \
            else contextlib.nullcontext()
        try:
            with context:
                grid = self.encoder(x[:, None])
        finally:
            for handle in handles:
                handle.remove()
        if grid.dim() != 5 or grid.shape[1] != 1:
            raise ValueError(f'{type(self.encoder).__name__} returned '
                             f'{tuple(grid.shape)}, expected (N, M, C, T, V)')
        return grid[:, 0], outputs

    def forward_tokens(
        self,
        x: torch.Tensor,
        mask: Optional[torch.Tensor] = None,
        return_layers: bool = False
    ) -> Union[torch.Tensor, Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Encode ``(B, T, V, C)`` skeletons into output-grid tokens.

        Args:
            x (torch.Tensor): Skeletons ``(B, T, V, C)``.
            mask (torch.Tensor, optional): bool ``(B, T', V)`` on the output
                grid, True for masked tokens (same count in every row).
            return_layers (bool): Also return the selected block outputs.

        Returns:
            torch.Tensor | tuple: Tokens ``(B, L, C')`` (the visible ones
            with a mask, else all ``T' * V``) and with ``return_layers`` the
            block outputs at the final resolution, each ``(B, T' * V, C')``.
        """
        if x.dim() != 4 or x.shape[-1] != self.in_channels:
            raise ValueError(f'MaskedGCNEncoder expects (B, T, V, '
                             f'{self.in_channels}), got {tuple(x.shape)}')
        if mask is not None:
            x = self.mask_input(x, mask)
        grid, outputs = self.encode(x, return_layers)
        batch, channels, tokens_t, joints = grid.shape
        tokens = grid_to_tokens(grid)
        if mask is not None:
            if tuple(mask.shape[1:]) != (tokens_t, joints):
                raise ValueError(
                    f'mask grid {tuple(mask.shape[1:])} differs from the '
                    f'encoder output grid {(tokens_t, joints)}: set the '
                    "masking transform's t_patch to the encoder's temporal "
                    f'stride {x.shape[1] // max(tokens_t, 1)}')
            tokens = tokens[~mask.reshape(batch, -1)].reshape(
                batch, -1, channels)
        if not return_layers:
            return tokens
        layers = [
            grid_to_tokens(out) for out in outputs
            if out.dim() == 4 and tuple(out.shape[1:]) == (
                channels, tokens_t, joints)
        ]
        return tokens, layers

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Recognizer mode: the encoder's ``(N, M, C', T', V)`` output."""
        return self.encoder(x)
