"""CPU kernels of the transformer blocks: the one place for CPU speed-ups.

``TransformerBlock(cpu_kernels=True)`` (the default of every transformer in
this package; ``cpu_kernels=False`` in a config switches them off) runs
these on CPU tensors; on other devices, and when switched off, the blocks
are plain PyTorch (``F.scaled_dot_product_attention``, ``nn.LayerNorm``,
``nn.Linear``). What each pays is measured in ``docs/performance.md``; each
is tested against plain PyTorch in
``tests/test_models/test_utils/test_cpu_kernels.py``.

- ``packed_attention``: PyTorch's CPU flash-attention kernel called on a
  packed qkv tensor, the queries padded to the kernel's long blocks where
  that is faster, with a backward that writes one packed gradient.
- ``norm_linear`` / ``norm_mlp``: LayerNorm + projection(s) with a backward
  that recomputes the normalized tokens and the GELU output instead of
  keeping them (less activation memory, fewer page faults on CPU).
"""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn
from torch.autograd.function import once_differentiable


def _compute_dtype(x: torch.Tensor) -> torch.dtype:
    """The dtype autocast would run a linear layer on ``x`` in."""
    device_type = x.device.type
    if torch.is_autocast_enabled(device_type):
        return torch.get_autocast_dtype(device_type)
    return x.dtype


def _cast(t: Optional[torch.Tensor],
          dtype: torch.dtype) -> Optional[torch.Tensor]:
    return None if t is None else t.to(dtype)


class _NormMLPFunction(torch.autograd.Function):
    """``fc2(gelu(fc1(layer_norm(x))))``, or ``fc1(layer_norm(x))`` when
    ``w2`` is None, keeping only ``x``, the norm's statistics and (with
    ``fc2``) ``fc1``'s output for backward.

    Autograd would also keep the normalized tokens (the input of ``fc1``)
    and the GELU output (the input of ``fc2``, four times the token width at
    ``mlp_ratio=4``). Both are recomputed in backward instead, each by one
    cheap elementwise pass. Numerics follow autocast: the norm runs in the
    dtype of ``x`` and the matmuls in the autocast dtype when autocast is on.
    """

    @staticmethod
    def forward(ctx, x: torch.Tensor, norm_w: Optional[torch.Tensor],
                norm_b: Optional[torch.Tensor], eps: float, w1: torch.Tensor,
                b1: Optional[torch.Tensor], w2: Optional[torch.Tensor],
                b2: Optional[torch.Tensor], approximate: str) -> torch.Tensor:
        dtype = _compute_dtype(x)
        shape = (x.shape[-1], )
        with torch.autocast(x.device.type, enabled=False):
            normed, mean, rstd = torch.native_layer_norm(
                x, shape, norm_w, norm_b, eps)
            w1 = w1.to(dtype)
            hidden = F.linear(normed.to(dtype), w1, _cast(b1, dtype))
            del normed
            if w2 is None:
                out, hidden = hidden, None
            else:
                w2 = w2.to(dtype)
                out = F.linear(F.gelu(hidden, approximate=approximate), w2,
                               _cast(b2, dtype))
        ctx.save_for_backward(x, mean, rstd, norm_w, norm_b, w1, hidden, w2)
        ctx.eps = eps
        ctx.approximate = approximate
        ctx.has_bias = (b1 is not None, b2 is not None)
        return out

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out: torch.Tensor) -> Tuple:
        x, mean, rstd, norm_w, norm_b, w1, hidden, w2 = ctx.saved_tensors
        need = ctx.needs_input_grad
        dtype = w1.dtype
        dims = x.shape[-1]
        grad = grad_out.to(dtype).reshape(-1, grad_out.shape[-1])
        grad_w2 = grad_b2 = None
        if w2 is not None:
            # one buffer of the hidden width holds, in turn, the recomputed
            # GELU output, the gradient w.r.t. it and w.r.t. fc1's output
            hidden = hidden.reshape(-1, hidden.shape[-1])
            buf = F.gelu(hidden, approximate=ctx.approximate)
            if need[6]:
                grad_w2 = grad.t().mm(buf)
            if need[7] and ctx.has_bias[1]:
                grad_b2 = grad.sum(0)
            torch.mm(grad, w2, out=buf)
            grad = torch.ops.aten.gelu_backward.grad_input(
                buf, hidden, approximate=ctx.approximate, grad_input=buf)
            del hidden
        # one buffer of the token width holds the recomputed normalized
        # tokens, then the gradient w.r.t. them
        with torch.autocast(x.device.type, enabled=False):
            normed = F.layer_norm(x, (dims, ), norm_w, norm_b,
                                  ctx.eps).reshape(-1, dims)
        grad_w1 = grad_b1 = None
        if need[4]:
            grad_w1 = grad.t().mm(normed.to(dtype))
        if need[5] and ctx.has_bias[0]:
            grad_b1 = grad.sum(0)
        grad_x = grad_norm_w = grad_norm_b = None
        if need[0] or need[1] or need[2]:
            if normed.dtype == dtype:
                torch.mm(grad, w1, out=normed)
            else:
                normed.copy_(grad.mm(w1))
            grad_x, grad_norm_w, grad_norm_b = \
                torch.ops.aten.native_layer_norm_backward(
                    normed.reshape(x.shape), x, (dims, ), mean, rstd,
                    norm_w, norm_b,
                    [need[0], need[1] and norm_w is not None,
                     need[2] and norm_b is not None])
        return (grad_x, grad_norm_w, grad_norm_b, None, grad_w1, grad_b1,
                grad_w2, grad_b2, None)


def _can_fuse(norm: nn.Module, x: torch.Tensor,
              params: Sequence[torch.Tensor]) -> bool:
    """Whether the fused norm + linear path applies (training only)."""
    if not torch.is_grad_enabled() or not (
            x.requires_grad or any(p.requires_grad for p in params)):
        return False  # inference: nothing is saved, the plain path is fine
    return (type(norm) is nn.LayerNorm and norm.normalized_shape ==
            (x.shape[-1], ) and not norm._forward_hooks
            and not norm._forward_pre_hooks)


def norm_linear(x: torch.Tensor, norm: nn.LayerNorm,
                fc: nn.Linear) -> torch.Tensor:
    """``fc(norm(x))``; when training, the normalized tokens are not kept
    for backward but recomputed from ``x``.

    Args:
        x (torch.Tensor): Tokens ``(..., D)``.
        norm (nn.LayerNorm): Norm over the last axis (any other module is
            applied as is).
        fc (nn.Linear): Projection.

    Returns:
        torch.Tensor: ``(..., fc.out_features)``.
    """
    if not _can_fuse(norm, x, (fc.weight, )):
        return fc(norm(x))
    return _NormMLPFunction.apply(x, norm.weight, norm.bias, norm.eps,
                                  fc.weight, fc.bias, None, None, 'none')


def norm_mlp(x: torch.Tensor,
             norm: nn.LayerNorm,
             fc1: nn.Linear,
             fc2: nn.Linear,
             approximate: str = 'none') -> torch.Tensor:
    """``fc2(gelu(fc1(norm(x))))``; when training, only ``x`` and
    ``fc1``'s output are kept for backward (the normalized tokens and the
    GELU output are recomputed), which saves ``(1 + mlp_ratio)`` token
    widths of activation memory per token.

    Args:
        x (torch.Tensor): Tokens ``(..., D)``.
        norm (nn.LayerNorm): Norm over the last axis.
        fc1 (nn.Linear): First projection.
        fc2 (nn.Linear): Second projection.
        approximate (str): GELU approximation, ``'none'`` or ``'tanh'``.

    Returns:
        torch.Tensor: ``(..., fc2.out_features)``.
    """
    if not _can_fuse(norm, x, (fc1.weight, fc2.weight)):
        return fc2(F.gelu(fc1(norm(x)), approximate=approximate))
    return _NormMLPFunction.apply(x, norm.weight, norm.bias, norm.eps,
                                  fc1.weight, fc1.bias, fc2.weight, fc2.bias,
                                  approximate)


_CPU_FLASH = getattr(torch.ops.aten,
                     '_scaled_dot_product_flash_attention_for_cpu', None)
_CPU_FLASH_BACKWARD = getattr(
    torch.ops.aten, '_scaled_dot_product_flash_attention_for_cpu_backward',
    None)


#: PyTorch's CPU flash attention splits the queries into blocks of 256 rows
#: from 768 queries on and into blocks of 64 rows below (down to 192); the
#: long blocks are about 1.3x faster per row. From ``_CPU_PAD_QUERIES_FROM``
#: queries on, the queries are padded with zero rows to 768, which pays off
#: (750 tokens: 30 x 25 joints, the paper's grid) and changes no value.
_CPU_LONG_QUERY_ROWS = 768
_CPU_PAD_QUERIES_FROM = 600


def cpu_query_rows(length: int) -> int:
    """Query rows the CPU flash kernel runs on for ``length`` tokens."""
    if _CPU_PAD_QUERIES_FROM <= length < _CPU_LONG_QUERY_ROWS:
        return _CPU_LONG_QUERY_ROWS
    return length


def _padded_queries(qkv: torch.Tensor, rows: int,
                    dtype: torch.dtype) -> torch.Tensor:
    """Queries ``(B, H, rows, d)`` of ``qkv``, zero rows appended."""
    batch, length, _, heads, head_dims = qkv.shape
    if rows == length:
        return qkv[:, :, 0].to(dtype).transpose(1, 2)
    padded = qkv.new_zeros((batch, rows, heads, head_dims), dtype=dtype)
    padded[:, :length] = qkv[:, :, 0]
    return padded.transpose(1, 2)


def _cpu_flash_forward(qkv: torch.Tensor) -> Tuple[torch.Tensor, ...]:
    """CPU flash attention of packed ``qkv``, queries padded as needed.

    Returns:
        tuple: The padded output ``(B, H, rows, d)`` (a view of a
        ``(B, rows, H, d)`` tensor), its log-sum-exp ``(B, H, rows)`` and
        the output of the real queries as ``(B, L, H * d)``.
    """
    batch, length, _, heads, head_dims = qkv.shape
    rows = cpu_query_rows(length)
    _, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
    out, logsumexp = _CPU_FLASH(
        _padded_queries(qkv, rows, qkv.dtype), k, v)
    tokens = out.transpose(1, 2)
    if rows != length:
        tokens = tokens[:, :length]
    return out, logsumexp, tokens.reshape(batch, length, heads * head_dims)


class _CPUPackedAttentionFunction(torch.autograd.Function):
    """CPU flash attention on a packed ``(B, L, 3, H, d)`` qkv tensor.

    Returns the output as ``(B, L, H * d)``. The queries are padded as
    ``cpu_query_rows`` says (padded rows get a zero output gradient, so they
    add nothing to the key and value gradients). The backward writes the
    query, key and value gradients straight into one packed gradient
    (autograd would stack them and copy once more to undo the head
    permutation). For float16 inputs PyTorch's CPU flash-attention backward
    runs in float32, about 10x faster than its float16 version (torch 2.13);
    bfloat16 runs natively, faster than float32.
    """

    @staticmethod
    def forward(ctx, qkv: torch.Tensor) -> torch.Tensor:
        out, logsumexp, tokens = _cpu_flash_forward(qkv)
        ctx.save_for_backward(qkv, out, logsumexp)
        return tokens

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out: torch.Tensor) -> torch.Tensor:
        qkv, out, logsumexp = ctx.saved_tensors
        batch, length, _, heads, head_dims = qkv.shape
        rows = out.shape[2]
        work = torch.float32 if qkv.dtype == torch.float16 else qkv.dtype
        _, k, v = qkv.to(work).permute(2, 0, 3, 1, 4).unbind(0)
        grad_out = grad_out.reshape(batch, length, heads, head_dims)
        if rows != length:
            padded = grad_out.new_zeros((batch, rows, heads, head_dims),
                                        dtype=work)
            padded[:, :length] = grad_out
            grad_out = padded
        grads = _CPU_FLASH_BACKWARD(
            grad_out.to(work).transpose(1, 2),
            _padded_queries(qkv, rows, work), k, v, out.to(work), logsumexp,
            0.0, False)
        grad_qkv = torch.empty_like(qkv)
        for i, grad in enumerate(grads):
            grad_qkv[:, :, i].copy_(grad.transpose(1, 2)[:, :length])
        return grad_qkv


def flash_available(dropout_p: float) -> bool:
    """Whether ``packed_attention`` applies (no dropout, kernel present)."""
    return (dropout_p == 0.0 and _CPU_FLASH is not None
            and _CPU_FLASH_BACKWARD is not None)


def packed_attention(qkv: torch.Tensor) -> torch.Tensor:
    """Self-attention of a packed CPU qkv tensor ``(B, L, 3, H, d)``.

    The values are those of ``F.scaled_dot_product_attention`` (no mask,
    no dropout, default scale): PyTorch's CPU flash kernel is called
    directly, with the queries padded as ``cpu_query_rows`` says; when
    gradients are needed ``_CPUPackedAttentionFunction`` gives a leaner
    backward (and a float32 one for float16 inputs). Check
    ``flash_available`` first.

    Args:
        qkv (torch.Tensor): Queries, keys and values ``(B, L, 3, H, d)``.

    Returns:
        torch.Tensor: ``(B, L, H * d)``.
    """
    if torch.is_grad_enabled() and qkv.requires_grad:
        return _CPUPackedAttentionFunction.apply(qkv)
    return _cpu_flash_forward(qkv)[2]
