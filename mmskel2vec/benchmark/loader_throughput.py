"""Samples per second of a config's training data loader.

``python -m mmskel2vec.benchmark.loader_throughput CONFIG ANN_FILE WORKERS
BATCH BATCHES [--cfg-options ...]`` builds the config's ``train_dataloader``
on another annotation file (split ``xsub_train``) with ``WORKERS`` workers
and a batch of ``BATCH``, and prints one JSON line with the samples per
second over ``BATCHES`` batches (after the first, which starts the
workers). ``gpu_benchmark.loader_benchmark`` runs it in a fresh process;
importing the package on the way registers the datasets and transforms.
"""
import argparse
import json
import time
from typing import Optional, Sequence

from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from .pretrain_step import load_config


def loader_samples_per_s(cfg: Config, ann_file: str, workers: int,
                         batch: int, batches: int) -> float:
    """Samples per second of ``cfg.train_dataloader`` on ``ann_file``.

    Args:
        cfg (Config): The config; its innermost training dataset (inside
            any wrappers) reads ``ann_file``, split ``xsub_train``.
        ann_file (str): An NTU-shaped annotation file.
        workers (int): Data loader workers.
        batch (int): Samples per batch.
        batches (int): Batches timed; the loader restarts when it runs out.

    Returns:
        float: Samples per second.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    loader = cfg.train_dataloader
    loader.update(batch_size=batch, num_workers=workers,
                  persistent_workers=workers > 0)
    dataset = loader.dataset
    while 'ann_file' not in dataset:
        dataset = dataset.dataset
    dataset.update(ann_file=ann_file, split='xsub_train')
    built = Runner.build_dataloader(loader, seed=0)
    batch_iter = iter(built)
    next(batch_iter)  # workers started
    start, seen = time.perf_counter(), 0
    for _ in range(batches):
        try:
            seen += len(next(batch_iter)['inputs'])
        except StopIteration:
            batch_iter = iter(built)
            seen += len(next(batch_iter)['inputs'])
    return seen / (time.perf_counter() - start)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Command line: print ``{"samples_per_s": ...}``."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('ann_file')
    parser.add_argument('workers', type=int)
    parser.add_argument('batch', type=int)
    parser.add_argument('batches', type=int)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    cfg = load_config([args.config], args.cfg_options)
    rate = loader_samples_per_s(cfg, args.ann_file, args.workers, args.batch,
                                args.batches)
    print(json.dumps(dict(samples_per_s=rate)))


if __name__ == '__main__':
    main()
