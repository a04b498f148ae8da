"""Benchmark full pretraining steps of a config on synthetic batches.

The model is built from the config through MMAction2's registry, the
optimizer wrapper with MMEngine's ``build_optim_wrapper`` (so the config's
AdamW, parameter-wise settings and gradient clipping are used), and every
timed step is exactly what the runner does in one training iteration:
``model.train_step`` (data preprocessor, teacher targets, student, decoder,
loss, ``optim_wrapper.update_params`` with gradient clipping) followed by the
EMA update of the teacher (``ema_update``, as ``EMATeacherHook`` does).
With ``--accumulate N`` a step is N such iterations of ``batch-size / N``
samples under MMEngine's gradient accumulation (``accumulative_counts``),
the optimizer and the EMA stepping after the last.

Batches are synthetic but shaped and masked like real ones: smooth
random-walk skeletons with the config's clip length, joints and persons
(optionally with the second person all-zero in about half the samples, as in
NTU RGB+D), masked by the config's ``MotionAwareTubeMasking`` transform and
packed by its ``PackActionInputs``.

Printed: seconds per step (median, min, max), samples per second, peak
memory (``ru_maxrss`` of this process, which includes the interpreter and the
imports, and its increase over the RSS before the model was built; on GPUs
the peak allocated memory), a per-phase breakdown timed at synchronized phase
boundaries, the achieved GFLOP/s (FLOPs counted with
``torch.utils.flop_counter.FlopCounterMode`` on one step) as a fraction of
this machine's measured fp32 / bf16 matmul rate, and the cost of the data
pipeline per sample. The last line of the output is one JSON object with all
figures.

Examples::

    python tools/analysis/benchmark_pretrain.py \\
        configs/_base_/models/skeleton2vec_stt-8x256.py \\
        configs/_base_/schedules/adamw_cosine_400e.py \\
        --batch-size 32 --threads 2 --iters 5 --warmup 2
    python tools/analysis/benchmark_pretrain.py CONFIG --amp-dtype bf16
    python tools/analysis/benchmark_pretrain.py CONFIG --device cuda \\
        --amp-dtype bf16 --compile

Several config files are merged in order (later ones override), so a model
config and a schedule config can be benchmarked without a full config.
"""
import argparse
import copy
import json
import os
import platform
import resource
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

try:
    import mmskel2vec  # noqa: F401  (applies the compat fixes, registers)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(
        0, os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))))
    import mmskel2vec  # noqa: F401

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from mmskel2vec.utils.matmul_rate import (dtype_is_emulated,  # noqa: E402
                                          matmul_rate, synchronize)

PHASES = ('preprocess', 'targets', 'student_fwd', 'decoder_loss_fwd',
          'backward', 'optimizer', 'ema')
PHASE_LABELS = {
    'preprocess': 'data preprocessor',
    'targets': 'targets (teacher)',
    'student_fwd': 'student forward',
    'decoder_loss_fwd': 'decoder + loss forward',
    'backward': 'backward',
    'optimizer': 'optimizer step (clip + AdamW)',
    'ema': 'EMA update',
}
AMP_DTYPES = {'none': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}
MASKING = 'MotionAwareTubeMasking'
#: Seconds each large matmul-rate probe may repeat its product for.
MATMUL_BUDGET_S = 2.0


# ---------------------------------------------------------------- config ---
def load_config(paths: Sequence[str],
                cfg_options: Optional[Dict[str, Any]] = None):
    """Load and merge config files, then apply ``--cfg-options``.

    Args:
        paths (Sequence[str]): Config files; later ones override earlier.
        cfg_options (dict, optional): Dotted-key overrides.

    Returns:
        mmengine.Config: The merged config.
    """
    from mmengine.config import Config
    cfg = Config.fromfile(paths[0])
    for path in paths[1:]:
        cfg.merge_from_dict(Config.fromfile(path).to_dict())
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def _dataset_pipelines(dataset: Optional[dict]) -> List[list]:
    """Pipelines of a (possibly wrapped) dataset config, outermost first."""
    found = []
    while isinstance(dataset, dict):
        if isinstance(dataset.get('pipeline'), list):
            found.append(dataset['pipeline'])
        dataset = dataset.get('dataset')
    return found


def find_pipeline(cfg) -> Tuple[Optional[list], str]:
    """The config's pretraining pipeline: the first with tube masking.

    Looks at the train dataloader's dataset (and wrapped datasets), then the
    ``pretrain_pipeline`` and ``train_pipeline`` variables.

    Returns:
        tuple: The pipeline (a list of transform dicts, or None when the
        config has none with ``MotionAwareTubeMasking``) and where it was
        found.
    """
    candidates = [('train_dataloader.dataset', p) for p in
                  _dataset_pipelines(cfg.get('train_dataloader', {}).get(
                      'dataset'))]
    for name in ('pretrain_pipeline', 'train_pipeline'):
        if isinstance(cfg.get(name), list):
            candidates.append((name, cfg.get(name)))
    for where, pipeline in candidates:
        if any(t.get('type') == MASKING for t in pipeline):
            return pipeline, where
    return None, 'none'


def default_pipeline(backbone: dict) -> list:
    """Minimal pretraining pipeline for configs that have none."""
    return [
        dict(type='FormatGCNInput', num_person=2),
        dict(type=MASKING, t_patch=backbone.get('t_patch', 4)),
        dict(type='PackActionInputs', algorithm_keys=('mask', ),
             meta_keys=('frame_dir', )),
    ]


def override_pipeline_shape(pipeline: list,
                            clip_len: Optional[int] = None,
                            num_person: Optional[int] = None) -> None:
    """Set the clip length and person slots of a pipeline, in place."""
    for transform in pipeline:
        if clip_len is not None and 'clip_len' in transform:
            transform['clip_len'] = clip_len
        if num_person is not None and \
                transform.get('type') == 'FormatGCNInput':
            transform['num_person'] = num_person


def override_shape(cfg,
                   clip_len: Optional[int] = None,
                   num_joints: Optional[int] = None,
                   num_person: Optional[int] = None) -> None:
    """Change the clip length, joints or persons consistently, in place.

    The backbone's ``clip_len`` / ``num_joints``, the head's
    ``num_tokens_t`` / ``num_joints``, and the config's pipelines (temporal
    crop ``clip_len``, ``FormatGCNInput`` persons) are all updated, so a
    scaling study varies one factor without editing configs.
    """
    model = cfg.model
    backbone, head = model.get('backbone', {}), model.get('head', {})
    t_patch = backbone.get('t_patch', 4)
    is_s2v_head = head.get('type') == 'Skeleton2VecHead'
    if clip_len is not None:
        if clip_len % t_patch:
            raise ValueError(f'clip_len={clip_len} is not a multiple of '
                             f't_patch={t_patch}')
        backbone['clip_len'] = clip_len
        if 'num_tokens_t' in head or is_s2v_head:
            head['num_tokens_t'] = clip_len // t_patch
    if num_joints is not None:
        backbone['num_joints'] = num_joints
        if 'num_joints' in head or is_s2v_head:
            head['num_joints'] = num_joints
    pipelines = _dataset_pipelines(cfg.get('train_dataloader', {}).get(
        'dataset'))
    pipelines += [cfg.get(n) for n in ('pretrain_pipeline', 'train_pipeline')
                  if isinstance(cfg.get(n), list)]
    for pipeline in pipelines:
        override_pipeline_shape(pipeline, clip_len, num_person)


def batch_shape(cfg, pipeline: list) -> Dict[str, int]:
    """Clip length, joints, channels and persons of a training sample."""
    backbone = cfg.model.get('backbone', {})
    num_person = 2
    for transform in pipeline:
        if transform.get('type') == 'FormatGCNInput':
            num_person = transform.get('num_person', 2)
    return dict(
        clip_len=int(backbone.get('clip_len', 120)),
        num_joints=int(backbone.get('num_joints', 25)),
        in_channels=int(backbone.get('in_channels', 3)),
        num_person=int(num_person))


def ema_settings(cfg) -> Dict[str, Any]:
    """Momentum and module names of the config's ``EMATeacherHook``."""
    for hook in cfg.get('custom_hooks', []) or []:
        if hook.get('type') == 'EMATeacherHook':
            return dict(
                momentum=float(hook.get('momentum', 0.9998)),
                teacher=hook.get('teacher_name', 'teacher'),
                student=hook.get('student_name', 'backbone'))
    return dict(momentum=0.9998, teacher='teacher', student='backbone')


# ------------------------------------------------------- synthetic data ---
def random_walk_skeletons(rng: np.random.Generator,
                          num_samples: int,
                          num_person: int,
                          num_frames: int,
                          num_joints: int,
                          channels: int = 3,
                          persons_present: str = 'mixed') -> np.ndarray:
    """Smooth random-walk skeleton sequences.

    Every joint starts from a body-sized random layout (metres) and follows
    a damped random walk of its velocity, so motion is smooth like captured
    skeletons rather than white noise (which would make the motion-aware
    mask meaningless).

    Args:
        rng (np.random.Generator): Random generator.
        num_samples (int): Sequences ``N``.
        num_person (int): Person slots ``M``.
        num_frames (int): Frames ``T``.
        num_joints (int): Joints ``V``.
        channels (int): Coordinates ``C``. Defaults to 3.
        persons_present (str): ``'2'``: every person slot holds a person;
            ``'1'``: only the first, the others are all-zero padding;
            ``'mixed'``: the second person is all-zero in ``N // 2`` samples
            chosen at random (NTU RGB+D is mostly one-person).

    Returns:
        np.ndarray: float32 ``(N, M, T, V, C)``.
    """
    shape = (num_samples, num_person, num_frames, num_joints, channels)
    layout = rng.normal(0.0, 0.3, (num_samples, num_person, 1, num_joints,
                                   channels))
    layout[:, :, :, :, 0] += np.arange(num_person)[None, :, None, None]
    accel = rng.normal(0.0, 2e-3, shape)
    velocity = np.empty(shape)
    velocity[:, :, 0] = accel[:, :, 0]
    for t in range(1, num_frames):  # damped: the walk stays body-sized
        velocity[:, :, t] = 0.95 * velocity[:, :, t - 1] + accel[:, :, t]
    skeletons = layout + np.cumsum(velocity, axis=2)
    if num_person > 1:
        if persons_present == '1':
            skeletons[:, 1:] = 0.0
        elif persons_present == 'mixed':
            empty = rng.choice(num_samples, num_samples // 2, replace=False)
            skeletons[empty, 1:] = 0.0
        elif persons_present != '2':
            raise ValueError(f'persons_present must be 1, 2 or mixed, got '
                             f'{persons_present!r}')
    return skeletons.astype(np.float32)


def build_transforms(pipeline: list, num_views: Optional[int] = None
                     ) -> Tuple[Callable, Callable, Optional[Callable]]:
    """Build the masking transform, the packing tail and the full pipeline.

    Args:
        pipeline (list): Transform configs containing the masking transform.
        num_views (int, optional): Override of the masking ``num_views``.

    Returns:
        tuple: ``(masking, tail, full)``: the masking transform, a callable
        running the masking and every later transform (packing), and the
        whole pipeline.
    """
    from mmengine.dataset import Compose
    from mmaction.registry import TRANSFORMS
    pipeline = copy.deepcopy(list(pipeline))
    index = next(i for i, t in enumerate(pipeline) if t['type'] == MASKING)
    if num_views is not None:
        pipeline[index]['num_views'] = num_views
    if not any(t['type'] == 'PackActionInputs' for t in pipeline[index:]):
        pipeline.append(
            dict(type='PackActionInputs', algorithm_keys=('mask', ),
                 meta_keys=('frame_dir', )))
    masking = TRANSFORMS.build(pipeline[index])
    tail = Compose([masking] + [TRANSFORMS.build(t)
                                for t in pipeline[index + 1:]])
    full = Compose([TRANSFORMS.build(t) for t in pipeline])
    return masking, tail, full


def make_batch(skeletons: np.ndarray, tail: Callable,
               offset: int = 0) -> dict:
    """Mask and pack skeletons ``(N, M, T, V, C)`` into a collated batch.

    Returns:
        dict: ``inputs`` (list of ``(1, M, T, V, C)`` tensors) and
        ``data_samples``, as ``pseudo_collate`` gives the data preprocessor.
    """
    from mmengine.dataset import pseudo_collate
    samples = []
    for i, keypoint in enumerate(skeletons):
        results = dict(
            keypoint=np.ascontiguousarray(keypoint[None]),
            frame_dir=f'synthetic_{offset + i:06d}',
            total_frames=keypoint.shape[1],
            label=0,
            start_index=0)
        samples.append(tail(results))
    return pseudo_collate(samples)


def raw_samples(rng: np.random.Generator, count: int, frames: int,
                shape: Dict[str, int], persons_present: str) -> List[dict]:
    """Unprocessed samples (as a dataset yields them) for pipeline timing."""
    skeletons = random_walk_skeletons(rng, count, shape['num_person'],
                                      frames, shape['num_joints'],
                                      shape['in_channels'], persons_present)
    samples = []
    for i, keypoint in enumerate(skeletons):
        present = keypoint.reshape(len(keypoint), -1).any(1)
        keypoint = keypoint[present] if present.any() else keypoint[:1]
        samples.append(
            dict(keypoint=np.ascontiguousarray(keypoint),
                 total_frames=frames, frame_dir=f'raw_{i:06d}', label=0,
                 start_index=0))
    return samples


# ------------------------------------------------------------- devices ---
def device_name(device: torch.device) -> str:
    """Human-readable name of the device."""
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    if device.type == 'cpu':
        try:
            with open('/proc/cpuinfo') as f:
                for line in f:
                    if line.startswith('model name'):
                        return line.split(':', 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or 'cpu'
    return device.type


# --------------------------------------------------------------- memory ---
def peak_rss_mb() -> float:
    """High-water resident set size of this process (``ru_maxrss``), MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == 'darwin' else peak / 2**10


def current_rss_mb() -> float:
    """Current resident set size of this process, MiB."""
    try:
        with open('/proc/self/statm') as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf('SC_PAGE_SIZE') / 2**20
    except (OSError, ValueError):
        return peak_rss_mb()


def busy_cpu_seconds() -> Optional[float]:
    """CPU seconds all processes of the machine have used (``/proc/stat``).

    Compared with this process's own CPU time over the same interval, it
    tells how busy other processes kept the machine during the benchmark.
    """
    try:
        with open('/proc/stat') as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != 'cpu':
        return None
    # user nice system idle iowait irq softirq steal (guest is in user)
    values = [int(v) for v in fields[1:9]]
    busy = sum(values) - values[3] - values[4]
    return busy / os.sysconf('SC_CLK_TCK')


def minor_faults() -> int:
    """Minor page faults of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


# -------------------------------------------------------------- timing ---
class PhaseTimer:
    """Wall-clock phase marks taken after synchronizing the device.

    ``mark(name)`` closes the phase ``name`` that began at the previous mark;
    marks outside ``start()`` / ``stop()`` are ignored, so hooks may stay
    registered during untimed steps.
    """

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.active = False
        self.last = 0.0
        self.durations: Dict[str, float] = {}

    def start(self) -> None:
        """Begin a step."""
        synchronize(self.device)
        self.durations = {}
        self.active = True
        self.last = time.perf_counter()

    def mark(self, name: str) -> None:
        """End phase ``name`` now."""
        if not self.active:
            return
        synchronize(self.device)
        now = time.perf_counter()
        self.durations[name] = self.durations.get(name, 0.0) + now - self.last
        self.last = now

    def stop(self) -> Dict[str, float]:
        """End the step; returns the phase durations in seconds."""
        self.active = False
        return dict(self.durations)


def instrument(model: nn.Module, optim_wrapper, timer: PhaseTimer) -> None:
    """Put phase marks on the model's submodules and the optimizer wrapper.

    Phase ends: the data preprocessor's output, the target generator's
    output, the head's input (the student has finished), the start and end
    of ``optim_wrapper.backward``.
    """
    def post(name):
        return lambda module, args, output: timer.mark(name)

    if isinstance(getattr(model, 'data_preprocessor', None), nn.Module):
        model.data_preprocessor.register_forward_hook(post('preprocess'))
    if isinstance(getattr(model, 'target_generator', None), nn.Module):
        model.target_generator.register_forward_hook(post('targets'))
    if isinstance(getattr(model, 'head', None), nn.Module):
        model.head.register_forward_pre_hook(
            lambda module, args: timer.mark('student_fwd'))
    backward = optim_wrapper.backward

    def timed_backward(loss, **kwargs):
        timer.mark('decoder_loss_fwd')
        backward(loss, **kwargs)
        timer.mark('backward')

    optim_wrapper.backward = timed_backward


def build_training(cfg, device: torch.device, amp_dtype: Optional[
        torch.dtype], accumulate: int = 1) -> Tuple[nn.Module, Any]:
    """Build, initialize and place the model, then its optimizer wrapper.

    ``accumulate`` > 1 sets the wrapper's ``accumulative_counts`` (MMEngine
    gradient accumulation: that many train steps per optimizer step).

    With ``amp_dtype`` on CUDA the config's wrapper becomes MMEngine's
    ``AmpOptimWrapper``; on other devices (where it is unavailable)
    ``AutocastOptimWrapper`` (bf16 only), as ``tools/train.py --amp`` does,
    which refuses a CPU that emulates bf16.
    """
    from mmengine.optim import build_optim_wrapper
    from mmaction.registry import MODELS
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.to(device)
    model.train()
    optim_cfg = copy.deepcopy(cfg.optim_wrapper)
    if amp_dtype is not None:
        if device.type == 'cuda':
            optim_cfg['type'] = 'AmpOptimWrapper'
            optim_cfg['dtype'] = str(amp_dtype).split('.')[-1]
        else:
            optim_cfg['type'] = 'AutocastOptimWrapper'
            optim_cfg['device_type'] = device.type
            optim_cfg['dtype'] = amp_dtype
    if accumulate > 1:
        optim_cfg['accumulative_counts'] = accumulate
    optim_wrapper = build_optim_wrapper(model, optim_cfg)
    # as the runner does before training; the count never ends here
    optim_wrapper.initialize_count_status(model, 0, 2**31)
    return model, optim_wrapper


def compile_blocks(model: nn.Module) -> int:
    """``torch.compile`` every transformer block in place.

    Inside a block every shape is fixed by the token count (the masked
    count is the same for every sample), unlike the boolean gathers around
    the blocks, so compiling blocks avoids graph breaks; a batch that
    changes size (dropped empty persons, the teacher's last chunk) marks
    the batch axis dynamic after one recompilation. The state dict keeps
    its keys (``nn.Module.compile`` does not wrap). Returns the number of
    compiled blocks.
    """
    count = 0
    for module in model.modules():
        blocks = getattr(module, 'blocks', None)
        if isinstance(blocks, nn.ModuleList):
            for block in blocks:
                block.compile()
                count += 1
    return count


def sdpa_flop_mapping() -> Dict[Any, Callable]:
    """FLOP formulas for SDPA kernels ``FlopCounterMode`` does not know."""
    from torch.utils import flop_counter as fc
    mapping = {}
    aten = torch.ops.aten
    forward = getattr(aten, '_scaled_dot_product_flash_attention_for_cpu',
                      None)
    backward = getattr(aten,
                       '_scaled_dot_product_flash_attention_for_cpu_backward',
                       None)
    # self-attention: the real queries are the keys (the model pads the
    # queries of the CPU kernel with zero rows, which are not counted)
    if forward is not None:
        mapping[forward] = lambda q, k, v, *args, out_shape=None, **kw: \
            fc.sdpa_flop_count(k, k, v)
    if backward is not None:
        mapping[backward] = lambda grad, q, k, v, *args, out_shape=None, \
            **kw: fc.sdpa_backward_flop_count(v, k, k, v)
    return mapping


def count_flops(step: Callable[[], Any]) -> Tuple[int, float]:
    """FLOPs of one call of ``step`` and the share of attention in them."""
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False,
                              custom_mapping=sdpa_flop_mapping())
    with counter:
        step()
    total = counter.get_total_flops()
    attention = sum(
        count for op, count in counter.get_flop_counts().get(
            'Global', {}).items() if 'attention' in str(op))
    return int(total), attention / total if total else 0.0


# ------------------------------------------------------------ benchmark ---
def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command line of the benchmark."""
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(
        description='Time full Skeleton2vec pretraining steps on synthetic '
        'batches shaped by a config.')
    parser.add_argument('config', nargs='+',
                        help='config file(s), merged in order')
    parser.add_argument('--batch-size', type=int, default=32,
                        help='samples per optimizer step')
    parser.add_argument('--accumulate', type=int, default=1,
                        help='split each step into this many train steps '
                        'of batch-size / accumulate samples with MMEngine '
                        'gradient accumulation (optim_wrapper.'
                        'accumulative_counts): the CPU memory lever')
    parser.add_argument('--iters', type=int, default=5,
                        help='timed steps')
    parser.add_argument('--warmup', type=int, default=2,
                        help='untimed steps first')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch intra-op threads (default: torch\'s)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--amp-dtype', choices=sorted(AMP_DTYPES),
                        default='none')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile the transformer blocks')
    parser.add_argument('--num-views', type=int, default=None,
                        help='masked views per sample (default: config)')
    parser.add_argument('--persons-present', choices=('1', '2', 'mixed'),
                        default='2',
                        help="'mixed': second person all-zero in half the "
                        'samples')
    parser.add_argument('--clip-len', type=int, default=None,
                        help='override frames per clip')
    parser.add_argument('--num-joints', type=int, default=None,
                        help='override joints')
    parser.add_argument('--num-person', type=int, default=None,
                        help='override person slots')
    parser.add_argument('--num-batches', type=int, default=4,
                        help='distinct synthetic batches cycled through')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--no-flops', action='store_true',
                        help='skip the FLOP-counting step')
    parser.add_argument('--no-matmul', action='store_true',
                        help='skip measuring the matmul rates')
    parser.add_argument('--matmul-size', type=int, default=None,
                        help='side of the square matmul (default 4096, '
                        '8192 on GPUs)')
    parser.add_argument('--pipeline-samples', type=int, default=30,
                        help='samples for the data pipeline timing (0: skip)')
    parser.add_argument('--raw-frames', type=int, default=100,
                        help='frames of a raw sample for pipeline timing')
    parser.add_argument('--default-malloc', action='store_true',
                        help='leave the allocator alone (by default on CPU '
                        'freed memory is kept for reuse, as the '
                        'RetainFreedMemoryHook of the configs does)')
    parser.add_argument('--profile', action='store_true',
                        help='print a torch.profiler table of one step')
    parser.add_argument('--quiet', action='store_true',
                        help='print only the JSON line')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, e.g. '
        'optim_wrapper.optimizer.foreach=True')
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace):
    """Load the config, import its modules, set threads and seeds."""
    from mmengine.registry import init_default_scope
    from mmengine.utils import import_modules_from_strings
    from mmengine.logging import MMLogger
    MMLogger.get_instance('benchmark_pretrain', log_level='ERROR')
    cfg = load_config(args.config, args.cfg_options)
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    override_shape(cfg, args.clip_len, args.num_joints, args.num_person)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    return cfg


def run_benchmark(args: argparse.Namespace) -> Dict[str, Any]:
    """Run the benchmark described by ``args``; returns the result dict."""
    cfg = prepare(args)
    device = torch.device(args.device)
    amp_dtype = AMP_DTYPES[args.amp_dtype]
    pipeline, pipeline_source = find_pipeline(cfg)
    if pipeline is None:
        pipeline = default_pipeline(cfg.model.get('backbone', {}))
        pipeline_source = 'default (config has no tube masking)'
    override_pipeline_shape(pipeline, args.clip_len, args.num_person)
    shape = batch_shape(cfg, pipeline)
    masking, tail, full = build_transforms(pipeline, args.num_views)
    ema = ema_settings(cfg)
    rng = np.random.default_rng(args.seed)

    retained = False
    if device.type == 'cpu' and not args.default_malloc:
        from mmskel2vec.utils import retain_freed_memory
        retained = retain_freed_memory()
    baseline_rss = current_rss_mb()
    baseline_peak = peak_rss_mb()
    if args.accumulate < 1 or args.batch_size % args.accumulate:
        raise ValueError(f'--accumulate {args.accumulate} must divide '
                         f'--batch-size {args.batch_size}')
    part = args.batch_size // args.accumulate
    batches = []  # per step: its train steps' batches
    for b in range(args.num_batches):
        skeletons = random_walk_skeletons(
            rng, args.batch_size, shape['num_person'], shape['clip_len'],
            shape['num_joints'], shape['in_channels'], args.persons_present)
        batches.append([
            make_batch(skeletons[i:i + part], tail, b * args.batch_size + i)
            for i in range(0, args.batch_size, part)])
    model, optim_wrapper = build_training(cfg, device, amp_dtype,
                                          args.accumulate)
    teacher = getattr(model, ema['teacher'], None)
    student = getattr(model, ema['student'], None)
    if teacher is not None and student is not None:
        from mmskel2vec.engine.hooks.ema_teacher_hook import ema_update
        model.teacher_updater = 'benchmark_pretrain.py'  # step() below
    else:
        ema_update = None
    timer = PhaseTimer(device)
    instrument(model, optim_wrapper, timer)
    losses: List[float] = []

    def step(index: int) -> None:
        for data in batches[index % len(batches)]:
            log_vars = model.train_step(data, optim_wrapper)
            timer.mark('optimizer')
            # as EMATeacherHook: EMA only after an optimizer step, and not
            # after one the wrapper skipped
            if ema_update is not None and optim_wrapper.should_update() \
                    and not getattr(optim_wrapper, 'step_skipped', False):
                ema_update(teacher, student, ema['momentum'])
            timer.mark('ema')
            loss = log_vars['loss']
            losses.append(
                float(loss.detach() if torch.is_tensor(loss) else loss))

    flops, attention_share = None, None
    step_index = 0
    if not args.no_flops:  # first, eagerly: also the first warm-up step
        flops, attention_share = count_flops(lambda: step(0))
        step_index = 1
    num_blocks = compile_blocks(model) if args.compile else 0
    for _ in range(max(args.warmup - step_index, 0) + (args.compile and 1)):
        step(step_index)
        step_index += 1
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
    faults_before = minor_faults()
    busy_before, own_before = busy_cpu_seconds(), time.process_time()
    wall_before = time.perf_counter()
    times, cpu_times, phases = [], [], []
    for _ in range(args.iters):
        timer.start()
        start, cpu_start = time.perf_counter(), time.process_time()
        step(step_index)
        synchronize(device)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        phases.append(timer.stop())
        step_index += 1
    faults = (minor_faults() - faults_before) / max(args.iters, 1)
    other_cores = None
    if busy_before is not None:
        other = busy_cpu_seconds() - busy_before - (time.process_time() -
                                                    own_before)
        other_cores = max(other, 0.0) / (time.perf_counter() - wall_before)
    peak = peak_rss_mb()
    gpu_peak = torch.cuda.max_memory_allocated(device) / 2**20 \
        if device.type == 'cuda' else None

    if args.profile:
        from torch.profiler import ProfilerActivity, profile
        activities = [ProfilerActivity.CPU]
        if device.type == 'cuda':
            activities.append(ProfilerActivity.CUDA)
        with profile(activities=activities) as prof:
            step(step_index)
        sort = 'self_device_time_total' if device.type == 'cuda' \
            else 'self_cpu_time_total'
        print(prof.key_averages().table(sort_by=sort, row_limit=25))

    median = statistics.median(times)
    phase_median = {
        name: statistics.median(p.get(name, 0.0) for p in phases)
        for name in PHASES
    }
    pipe = time_pipeline(args, shape, full, masking) \
        if args.pipeline_samples > 0 else {}
    rates, emulated = {}, []
    if not args.no_matmul:
        size = args.matmul_size or (8192 if device.type == 'cuda' else 4096)
        dtypes = dict(fp32=torch.float32, bf16=torch.bfloat16)
        if amp_dtype == torch.float16:
            dtypes['fp16'] = torch.float16
        for name, dtype in dtypes.items():
            small: Dict[str, Optional[float]] = {}
            if dtype != torch.float32 and dtype_is_emulated(dtype, device,
                                                            small):
                # a large emulated product takes minutes: report the probe's
                emulated.append(name)
                rates[name] = small[str(dtype).split('.')[-1]]
            else:
                rates[name] = matmul_rate(dtype, device, size,
                                          budget_s=MATMUL_BUDGET_S,
                                          max_repeats=5)
    gflops = flops / median / 1e9 if flops else None
    result = dict(
        config=list(args.config),
        pipeline_source=pipeline_source,
        device=str(device),
        device_name=device_name(device),
        torch=torch.__version__,
        threads=torch.get_num_threads(),
        batch_size=args.batch_size,
        amp_dtype=args.amp_dtype,
        compile=bool(args.compile),
        compiled_blocks=num_blocks,
        accumulate=args.accumulate,
        retain_freed_memory=retained,
        num_views=int(masking.num_views),
        persons_present=args.persons_present,
        shape=shape,
        iters=args.iters,
        warmup=args.warmup,
        step_s=dict(median=median, min=min(times), max=max(times)),
        samples_per_s=args.batch_size / median,
        cpu_s_per_step=statistics.median(cpu_times),
        other_processes_cores=other_cores,
        machine_cores=os.cpu_count(),
        load_average=os.getloadavg() if hasattr(os, 'getloadavg') else None,
        phases_s=phase_median,
        flops_per_step=flops,
        flops_per_sample=flops / args.batch_size if flops else None,
        attention_flop_share=attention_share,
        gflops_per_s=gflops,
        matmul_gflops_per_s=rates,
        matmul_emulated=emulated,
        fraction_of_matmul_peak={
            k: (gflops / v if gflops and v else None)
            for k, v in rates.items()
        },
        rss_peak_mb=peak,
        rss_baseline_mb=baseline_rss,
        rss_peak_before_mb=baseline_peak,
        rss_increase_mb=peak - baseline_rss,
        gpu_max_allocated_mb=gpu_peak,
        minor_faults_per_step=faults,
        losses=losses,
        pipeline=pipe,
        env={k: os.environ[k] for k in sorted(os.environ)
             if k.startswith(('MALLOC_', 'OMP_', 'KMP_', 'LD_PRELOAD',
                              'THP_', 'MKL_'))},
    )
    return result


def time_pipeline(args: argparse.Namespace, shape: Dict[str, int],
                  full: Callable, masking: Callable) -> Dict[str, float]:
    """Milliseconds per sample of the full pipeline and of the masking."""
    rng = np.random.default_rng(args.seed + 1)
    samples = raw_samples(rng, args.pipeline_samples, args.raw_frames, shape,
                          args.persons_present)
    formatted = []
    start = time.perf_counter()
    for sample in samples:
        full(copy.copy(sample))
    full_ms = (time.perf_counter() - start) * 1e3 / len(samples)
    # the masking transform alone, on what FormatGCNInput hands it
    rng_skel = random_walk_skeletons(rng, len(samples), shape['num_person'],
                                     shape['clip_len'], shape['num_joints'],
                                     shape['in_channels'],
                                     args.persons_present)
    for i, keypoint in enumerate(rng_skel):
        formatted.append(dict(keypoint=keypoint[None], frame_dir=f'f{i}'))
    start = time.perf_counter()
    for results in formatted:
        masking(results)
    mask_ms = (time.perf_counter() - start) * 1e3 / len(formatted)
    return dict(pipeline_ms_per_sample=full_ms,
                masking_ms_per_sample=mask_ms,
                raw_frames=args.raw_frames)


def format_report(result: Dict[str, Any]) -> str:
    """Human-readable tables of a result dict."""
    def fmt(value, spec='.3f'):
        return '-' if value is None else format(value, spec)

    step = result['step_s']
    shape = result['shape']
    per_sample = result['flops_per_sample']
    gflop_sample = per_sample / 1e9 if per_sample else None
    lines = [
        f"device: {result['device']} ({result['device_name']}), "
        f"threads {result['threads']}, torch {result['torch']}",
        f"batch {result['batch_size']} x {shape['num_person']} persons "
        f"({result['persons_present']} present) x {shape['clip_len']} "
        f"frames x {shape['num_joints']} joints, views "
        f"{result['num_views']}, amp {result['amp_dtype']}, compile "
        f"{result['compile']}, accumulate {result['accumulate']}, freed "
        f"memory retained {result['retain_freed_memory']}",
        '',
        '| metric | value |',
        '|---|---|',
        f"| s/step (median / min / max) | {step['median']:.3f} / "
        f"{step['min']:.3f} / {step['max']:.3f} |",
        f"| samples/s | {result['samples_per_s']:.3f} |",
        f"| process CPU s/step (all threads) | "
        f"{result['cpu_s_per_step']:.2f} |",
        f"| other processes' load during timing | "
        f"{fmt(result['other_processes_cores'], '.2f')} of "
        f"{result['machine_cores']} cores |",
        f"| peak RSS (ru_maxrss) | {result['rss_peak_mb']:.0f} MiB |",
        f"| RSS increase over baseline ({result['rss_baseline_mb']:.0f} MiB)"
        f" | {result['rss_increase_mb']:.0f} MiB |",
        f"| GPU max allocated | {fmt(result['gpu_max_allocated_mb'], '.0f')}"
        ' MiB |',
        f"| minor page faults / step | "
        f"{result['minor_faults_per_step']:.0f} |",
        f"| GFLOP / sample | {fmt(gflop_sample, '.1f')} |",
        f"| attention share of FLOPs | "
        f"{fmt(result['attention_flop_share'], '.2f')} |",
        f"| achieved GFLOP/s | {fmt(result['gflops_per_s'], '.1f')} |",
    ]
    for key, rate in result['matmul_gflops_per_s'].items():
        frac = result['fraction_of_matmul_peak'].get(key)
        lines.append(f'| {key} matmul GFLOP/s (fraction achieved) | '
                     f'{fmt(rate, ".1f")} ({fmt(frac, ".2f")}) |')
    pipe = result['pipeline']
    if pipe:
        lines += [
            f"| pipeline ms/sample ({pipe['raw_frames']} raw frames) | "
            f"{pipe['pipeline_ms_per_sample']:.2f} |",
            f"| masking ms/sample | {pipe['masking_ms_per_sample']:.2f} |",
        ]
    lines += ['', '| phase | s (median) | share |', '|---|---|---|']
    total = sum(result['phases_s'].values()) or 1.0
    for name in PHASES:
        value = result['phases_s'][name]
        lines.append(f'| {PHASE_LABELS[name]} | {value:.3f} | '
                     f'{value / total:.0%} |')
    return '\n'.join(lines)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Command-line entry point; prints the tables and the JSON line."""
    args = parse_args(argv)
    result = run_benchmark(args)
    if not args.quiet:
        print(format_report(result))
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    main()
