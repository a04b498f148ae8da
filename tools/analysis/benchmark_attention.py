"""Time the CPU attention implementations at the paper's token grid.

Compares, on packed ``(B, L, 3, H, d)`` queries, keys and values:

- ``flash``: ``mmskel2vec``'s ``packed_attention`` (PyTorch's CPU
  flash-attention kernel, queries padded as ``cpu_query_rows`` says);
- ``matmul``: attention written out as two matmuls around a float32
  softmax (the scores ``(B, H, L, L)`` materialised);
- ``flex``: ``torch.nn.attention.flex_attention`` compiled with
  ``torch.compile`` (forward only: PyTorch has no CPU backward for it).

Prints, per implementation, the best-of-``--repeats`` forward and forward +
backward time, the GFLOP/s (4 L^2 d per head forward, 2.5x that backward)
and the largest deviation of the output from a float32 reference, then one
JSON line.

Example::

    python tools/analysis/benchmark_attention.py --dtype bf16 --threads 2
"""
import argparse
import json
import os.path as osp
import sys
import time
from typing import Callable, Dict, Optional, Tuple

import torch
import torch.nn.functional as F

try:
    from mmskel2vec.models.utils.cpu_kernels import packed_attention
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))
    from mmskel2vec.models.utils.cpu_kernels import packed_attention

DTYPES = {'fp32': torch.float32, 'bf16': torch.bfloat16}


def parse_args() -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sequences', type=int, default=16,
                        help='sequences (samples x persons) per call')
    parser.add_argument('--tokens', type=int, default=750,
                        help='tokens per sequence (750: 30 x 25)')
    parser.add_argument('--heads', type=int, default=8)
    parser.add_argument('--head-dims', type=int, default=32)
    parser.add_argument('--dtype', choices=sorted(DTYPES), default='bf16')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--no-flex', action='store_true',
                        help='skip flex_attention (it compiles C++ code)')
    return parser.parse_args()


def split_heads(qkv: torch.Tensor) -> Tuple[torch.Tensor, ...]:
    """``(B, L, 3, H, d)`` packed qkv as q, k, v of shape ``(B, H, L, d)``."""
    return qkv.permute(2, 0, 3, 1, 4).unbind(0)


def merge_heads(out: torch.Tensor) -> torch.Tensor:
    """``(B, H, L, d)`` attention output as ``(B, L, H * d)``."""
    batch, heads, length, head_dims = out.shape
    return out.transpose(1, 2).reshape(batch, length, heads * head_dims)


def matmul_attention(qkv: torch.Tensor) -> torch.Tensor:
    """Attention as ``softmax(q k^T / sqrt(d)) v`` with explicit scores."""
    q, k, v = split_heads(qkv)
    scores = torch.matmul(q * q.shape[-1]**-0.5, k.transpose(-1, -2))
    weights = torch.softmax(scores, -1, dtype=torch.float32).to(qkv.dtype)
    return merge_heads(torch.matmul(weights, v))


def flex_attention_fn() -> Optional[Callable]:
    """``flex_attention`` compiled for packed qkv, or None if unavailable."""
    try:
        from torch.nn.attention.flex_attention import flex_attention
    except ImportError:
        return None
    compiled = torch.compile(flex_attention, dynamic=False)

    def attend(qkv: torch.Tensor) -> torch.Tensor:
        return merge_heads(compiled(*split_heads(qkv)))

    return attend


def best_time(fn: Callable[[], None], repeats: int) -> float:
    """Best wall time of ``repeats`` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, attend: Callable, qkv: torch.Tensor,
            grad: torch.Tensor, reference: torch.Tensor, repeats: int,
            backward: bool) -> Dict:
    """Forward (and forward + backward) timings of one implementation."""
    batch, length, _, heads, head_dims = qkv.shape
    flops = 4 * batch * heads * length * length * head_dims

    def forward() -> None:
        with torch.no_grad():
            attend(qkv)

    def forward_backward() -> None:
        leaf = qkv.detach().requires_grad_()
        attend(leaf).backward(grad)

    with torch.no_grad():
        error = (attend(qkv).float() - reference).abs().max().item()
    row = dict(name=name, max_abs_error=error)
    row['forward_ms'] = best_time(forward, repeats) * 1e3
    row['forward_gflops'] = flops / row['forward_ms'] / 1e6
    if backward:
        row['forward_backward_ms'] = best_time(forward_backward,
                                               repeats) * 1e3
        row['forward_backward_gflops'] = (
            3.5 * flops / row['forward_backward_ms'] / 1e6)
    return row


def main() -> None:
    """Time every implementation and print a table and a JSON line."""
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    shape = (args.sequences, args.tokens, 3, args.heads, args.head_dims)
    qkv = torch.randn(shape).to(DTYPES[args.dtype])
    grad = torch.randn(args.sequences, args.tokens,
                       args.heads * args.head_dims).to(qkv.dtype)
    reference = merge_heads(
        F.scaled_dot_product_attention(*split_heads(qkv.float())))

    rows = [
        measure('flash', packed_attention, qkv, grad, reference,
                args.repeats, True),
        measure('matmul', matmul_attention, qkv, grad, reference,
                args.repeats, True)
    ]
    flex = None if args.no_flex else flex_attention_fn()
    if flex is not None:
        rows.append(measure('flex', flex, qkv, grad, reference,
                            args.repeats, False))

    print(f'{args.sequences} sequences x {args.heads} heads x '
          f'{args.tokens} tokens x {args.head_dims} channels, '
          f'{args.dtype}, {args.threads} threads, torch {torch.__version__}')
    print('| implementation | forward ms (GFLOP/s) | forward + backward ms '
          '(GFLOP/s) | max abs error vs fp32 |')
    print('|---|---|---|---|')
    for row in rows:
        both = ('-' if 'forward_backward_ms' not in row else
                f"{row['forward_backward_ms']:.1f} "
                f"({row['forward_backward_gflops']:.0f})")
        print(f"| {row['name']} | {row['forward_ms']:.1f} "
              f"({row['forward_gflops']:.0f}) | {both} | "
              f"{row['max_abs_error']:.2e} |")
    print(json.dumps(dict(vars(args), torch=torch.__version__, rows=rows)))


if __name__ == '__main__':
    main()
