"""Time full pretraining steps of a config (``run_benchmark``).

Every timed step is what the runner does in one training iteration:
``model.train_step`` (data preprocessor, teacher targets, student,
decoder, loss, ``optim_wrapper.update_params`` with the config's
gradient clipping) followed by the EMA update of the teacher
(``ema_update``, as ``EMATeacherHook`` does); with ``accumulate`` N, a step
is N such iterations under MMEngine's gradient accumulation.
``tools/analysis/benchmark_pretrain.py`` is the command line.
"""
import argparse
import copy
import os
import statistics
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import nn

from mmskel2vec.utils.matmul_rate import (dtype_is_emulated, matmul_rate,
                                          synchronize)
from .measurements import (PHASE_LABELS, PHASES, PhaseTimer,
                           busy_cpu_seconds, count_flops, current_rss_mb,
                           device_name, instrument, minor_faults,
                           peak_rss_mb)
from .synthetic_batches import (batch_shape, build_transforms,
                                default_pipeline, find_pipeline, make_batch,
                                override_pipeline_shape, override_shape,
                                random_walk_skeletons, raw_samples)

AMP_DTYPES = {'none': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}
#: Seconds each large matmul-rate probe may repeat its product for.
MATMUL_BUDGET_S = 2.0


def ema_settings(cfg) -> Dict[str, Any]:
    """Momentum and module names of the config's ``EMATeacherHook``.

    Looked up in ``custom_hooks``, then in the ``ema_hook`` variable of the
    schedule bases (set when only bases are composed).
    """
    hooks = list(cfg.get('custom_hooks', []) or []) + [cfg.get('ema_hook')]
    for hook in hooks:
        if hook and hook.get('type') == 'EMATeacherHook':
            return dict(
                momentum=float(hook.get('momentum', 0.9998)),
                teacher=hook.get('teacher_name', 'teacher'),
                student=hook.get('student_name', 'backbone'))
    return dict(momentum=0.9998, teacher='teacher', student='backbone')


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

    from ..engine.optim_wrappers import mixed_precision
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.to(device)
    model.train()
    optim_cfg = copy.deepcopy(cfg.optim_wrapper)
    if amp_dtype is not None:
        optim_cfg = mixed_precision(optim_cfg, device.type, amp_dtype)
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


def load_config(paths: Sequence[str],
                cfg_options: Optional[Dict[str, Any]] = None):
    """The config of ``paths`` composed through ``_base_``, then
    ``cfg_options``.

    One path is loaded as it is; several become the ``_base_`` list of a
    temporary config, so MMEngine composes them as a config of your own
    would (it refuses a key defined in two of them).

    Args:
        paths (Sequence[str]): Config files.
        cfg_options (dict, optional): Dotted-key overrides.

    Returns:
        mmengine.Config: The config.
    """
    from mmengine.config import Config
    if len(paths) == 1:
        cfg = Config.fromfile(paths[0])
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, 'benchmark_config.py')
            with open(path, 'w') as f:
                f.write(f'_base_ = {[os.path.abspath(p) for p in paths]!r}\n')
            cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


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
