"""Analysis helpers for benchmark reports (not imported by the package)."""
from .features import extract_pooled_features, load_backbone
from .run_summary import RunSummary, find_work_dirs, summarize_work_dir
from .tsne import tsne

__all__ = [
    'RunSummary', 'extract_pooled_features', 'find_work_dirs', 'load_backbone',
    'summarize_work_dir', 'tsne'
]
