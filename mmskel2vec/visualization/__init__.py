"""Drawing skeleton sequences (no registry entries)."""
from .skeleton_animation import render_skeleton_animation

__all__ = ['render_skeleton_animation']
