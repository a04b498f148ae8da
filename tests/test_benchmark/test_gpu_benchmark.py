"""Pieces of the benchmark sweep (the sweep itself: test_benchmark_gpu.py)."""
import os.path as osp

from mmengine.config import Config

from mmskel2vec.benchmark.gpu_benchmark import (dense_bf16_peak,
                                                write_annotations)
from mmskel2vec.benchmark.loader_throughput import loader_samples_per_s

PAPER = osp.join('configs', 'skeleton2vec',
                 'skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py')


def test_bf16_peaks_follow_the_device_name():
    assert dense_bf16_peak('NVIDIA H100 80GB HBM3') == 989.0
    assert dense_bf16_peak('NVIDIA H100 PCIe') == 756.0
    assert dense_bf16_peak('NVIDIA H200') == 989.0
    assert dense_bf16_peak('Some CPU') is None


def test_loader_reads_the_written_file_through_the_config(repo_root,
                                                          tmp_path):
    ann = write_annotations(str(tmp_path / 'ntu_shaped.pkl'), 6)
    cfg = Config.fromfile(osp.join(repo_root, PAPER))
    assert loader_samples_per_s(cfg, ann, workers=0, batch=2,
                                batches=4) > 0
    # the config's own annotation file was replaced by the written one
    assert cfg.train_dataloader.dataset.ann_file == ann
