"""Animate a 3D skeleton sequence to a GIF or MP4 with matplotlib."""
from typing import Optional, Sequence, Tuple

import numpy as np


def render_skeleton_animation(keypoint: np.ndarray,
                              bones: Sequence[Tuple[int, int]],
                              out: str,
                              title: str = '',
                              masked: Optional[np.ndarray] = None,
                              fps: int = 15,
                              frame_titles: Optional[Sequence[str]] = None
                              ) -> str:
    """Write an animation of ``keypoint`` ``(M, T, V, 3)`` to ``out``.

    Every frame draws each person's bones and joints in 3D; persons that
    are all zero (padding) are left out. With ``masked`` ``(M, T, V)``
    (True: the joint is masked in that frame) masked joints are red crosses
    and visible ones dots, as in a pretraining mask.

    Args:
        keypoint: Coordinates; the tallest axis is drawn upwards.
        bones: ``(child, parent)`` joint pairs.
        out: ``.gif`` (Pillow) or ``.mp4`` (needs ffmpeg).
        title: Figure title.
        masked: Optional mask per person, frame and joint.
        fps: Frames per second.
        frame_titles: Optional line per frame under the title.

    Returns:
        The path written.
    """
    # a Figure on its own Agg canvas: no pyplot, the caller's backend and
    # figures stay as they are
    from matplotlib import animation
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    keypoint = np.asarray(keypoint, dtype=np.float32)
    persons = [m for m in range(keypoint.shape[0]) if np.any(keypoint[m])]
    if not persons:
        raise ValueError('the sequence holds no skeleton (all zero)')
    suffix = out.lower().rsplit('.', 1)[-1]
    if suffix == 'gif':
        writer = animation.PillowWriter(fps=fps)
    elif suffix == 'mp4':
        if not animation.writers.is_available('ffmpeg'):
            raise RuntimeError(f'{out}: writing MP4 needs ffmpeg on the '
                               'PATH; write a .gif instead')
        writer = animation.FFMpegWriter(fps=fps)
    else:
        raise ValueError(f'{out}: the animation must be a .gif or .mp4')
    points = keypoint[persons]
    valid = points[np.abs(points).sum(-1) > 0]
    low, high = valid.min(0), valid.max(0)
    up = int(np.argmax(high - low))
    side = [axis for axis in range(3) if axis != up]
    center, radius = (low + high) / 2, float((high - low).max()) / 2 or 1.0

    fig = Figure(figsize=(4.5, 4.8))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(projection='3d')
    colors = ['tab:blue', 'tab:green', 'tab:purple', 'tab:orange']

    def draw(t: int):
        ax.cla()
        for axis, setter in zip(side + [up],
                                (ax.set_xlim, ax.set_ylim, ax.set_zlim)):
            setter(center[axis] - radius, center[axis] + radius)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_zticks([])
        for n, m in enumerate(persons):
            pts = keypoint[m, t][:, side + [up]]
            if not pts.any():
                continue
            color = colors[n % len(colors)]
            for i, j in bones:
                ax.plot(*pts[[i, j]].T, '-', color=color, lw=1.5)
            hidden = (np.zeros(len(pts), bool) if masked is None else
                      np.asarray(masked[m, t], bool))
            ax.scatter(*pts[~hidden].T, s=10, color=color)
            if hidden.any():
                ax.scatter(*pts[hidden].T, s=30, marker='x', color='red')
        line = frame_titles[t] if frame_titles else f'frame {t}'
        ax.set_title(f'{title}\n{line}', fontsize=9)
        return []

    movie = animation.FuncAnimation(fig, draw, frames=keypoint.shape[1],
                                    blit=False)
    movie.save(out, writer=writer)
    return out
