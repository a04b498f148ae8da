"""Contextualized regression targets from a teacher's block outputs."""
from typing import Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS


@MODELS.register_module()
class ContextualTargetGenerator(BaseModule):
    """Average of the top-K teacher block outputs, each normalized.

    data2vec-style targets: each of the last ``top_k`` block outputs is
    normalized (``'instance'``: every channel over the tokens of a sequence;
    ``'layer'``: every token over its channels; ``'none'``), the normalized
    outputs are averaged, and the average is layer-normalized (no affine)
    when ``final_norm`` is set. Computed in float32 whatever the autocast.

    ``center_positions`` (not in the paper; a small-data option) subtracts,
    before the final norm, the batch's mean target at every token position
    ``(t, v)``: what every sample shares at a position (on small 20-joint
    data, mostly the mean pose of that joint) leaves the targets, and only
    what tells the samples apart is regressed.

    Every sequence's targets depend on that sequence only, so the teacher
    may encode the batch in chunks of sequences, building each chunk's
    targets before the next chunk runs: the result is the same, but only
    one chunk's block outputs are alive at a time and every activation
    stays small, which on CPUs lets the allocator reuse memory instead of
    mapping (and page-faulting) fresh memory for every block.

    Args:
        top_k (int): Number of last blocks averaged. Defaults to 8.
        layer_norm (str): Per-block normalization: ``'instance'``,
            ``'layer'`` or ``'none'``. Defaults to ``'instance'``.
        final_norm (bool): Layer-normalize the average. Defaults to True.
        center_positions (bool): Remove the batch mean at every token
            position before the final norm. Defaults to False.
        chunk_size (int | str, optional): Sequences per teacher pass. None
            encodes the whole batch at once; ``'auto'`` (default) chunks on
            CPU so that a chunk holds about ``AUTO_CHUNK_POINTS`` skeleton
            points (frames x joints; 5 sequences of 120 x 25) and does not
            chunk on other devices.
    """

    NORMS = ('instance', 'layer', 'none')
    #: Frames x joints per teacher pass of ``chunk_size='auto'`` on CPU.
    AUTO_CHUNK_POINTS = 16384

    #: The targets come from the teacher (its training needs an updater,
    #: see ``Skeleton2Vec.teacher_updater``).
    uses_teacher = True

    def __init__(self,
                 top_k: int = 8,
                 layer_norm: str = 'instance',
                 final_norm: bool = True,
                 center_positions: bool = False,
                 chunk_size: Union[int, str, None] = 'auto') -> None:
        super().__init__()
        if layer_norm not in self.NORMS:
            raise ValueError(f'layer_norm must be one of {self.NORMS}, got '
                             f'{layer_norm!r}')
        if top_k < 1:
            raise ValueError(f'top_k must be >= 1, got {top_k}')
        if not (chunk_size is None or chunk_size == 'auto' or
                (isinstance(chunk_size, int) and chunk_size >= 1)):
            raise ValueError("chunk_size must be a positive int, 'auto' or "
                             f'None, got {chunk_size!r}')
        self.top_k = top_k
        self.layer_norm = layer_norm
        self.final_norm = final_norm
        self.center_positions = center_positions
        self.chunk_size = chunk_size

    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        """Normalize one block output ``(B, L, D)``."""
        if self.layer_norm == 'instance':
            return F.instance_norm(x.transpose(1, 2)).transpose(1, 2)
        if self.layer_norm == 'layer':
            return F.layer_norm(x, x.shape[-1:])
        return x

    def sequences_per_pass(self, skeletons: torch.Tensor) -> int:
        """Sequences the teacher encodes at once for ``(B, T, V, C)``."""
        batch = skeletons.shape[0]
        if self.chunk_size is None:
            return batch
        if self.chunk_size == 'auto':
            if skeletons.device.type != 'cpu':
                return batch
            points = skeletons.shape[1] * skeletons.shape[2]
            return max(1, self.AUTO_CHUNK_POINTS // max(points, 1))
        return self.chunk_size

    @torch.no_grad()
    def forward(self, skeletons: torch.Tensor,
                teacher: nn.Module) -> torch.Tensor:
        """Targets for every token of unmasked skeletons.

        Args:
            skeletons (torch.Tensor): ``(B, T, V, C)``.
            teacher (nn.Module): Encoder with ``forward_tokens(x,
                return_layers=True)``, run without gradients.

        Returns:
            torch.Tensor: float32 targets ``(B, L, D)``.
        """
        batch = skeletons.shape[0]
        chunk = self.sequences_per_pass(skeletons)
        # per sequence: combine(); across the batch: average() then finish()
        per_sequence = self.average if self.center_positions else self.combine
        if chunk >= batch:
            _, layers = teacher.forward_tokens(skeletons, return_layers=True)
            targets = per_sequence(layers)
        else:
            targets = None
            for start in range(0, batch, chunk):
                _, layers = teacher.forward_tokens(
                    skeletons[start:start + chunk], return_layers=True)
                part = per_sequence(layers)
                del layers
                if targets is None:
                    targets = part.new_empty((batch, ) + part.shape[1:])
                targets[start:start + chunk] = part
        if self.center_positions:
            targets = self.finish(targets - targets.mean(0, keepdim=True))
        return targets

    def combine(self, layers: Sequence[torch.Tensor]) -> torch.Tensor:
        """Build targets ``(B, L, D)`` from block outputs ``[(B, L, D)]``.

        Without ``center_positions``; the targets :meth:`forward` returns
        then.
        """
        return self.finish(self.average(layers))

    def finish(self, target: torch.Tensor) -> torch.Tensor:
        """The final layer norm (no affine) of ``final_norm``, in float32."""
        if self.final_norm:
            target = F.layer_norm(target, target.shape[-1:])
        return target

    def average(self, layers: Sequence[torch.Tensor]) -> torch.Tensor:
        """Mean of the normalized top-K block outputs, float32 ``(B, L, D)``.
        """
        if len(layers) < self.top_k:
            raise ValueError(f'top_k={self.top_k} exceeds the teacher depth '
                             f'{len(layers)}')
        with torch.autocast(layers[0].device.type, enabled=False):
            top = layers[-self.top_k:]
            target = torch.zeros(top[0].shape, device=top[0].device)
            for layer in top:
                target.add_(self.normalize(layer.float()))
            target = target.div_(self.top_k)
        return target
