"""The funnel chart (PNG, matplotlib Agg): one bar per step, split by outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

COLOURS = {"answered": "#2e7d32", "skipped": "#f9a825", "dropped_out_here": "#c62828", "other": "#b0bec5"}


def step_label(step: str) -> str:
    from bot import content
    from bot.analytics.funnel import READBACK

    if step == READBACK:
        return content.load_yaml("funnel.yml")["readback_step"]
    try:
        return content.question(step).get("readback") or step
    except Exception:  # noqa: BLE001 - a question removed since the evaluation keeps its id
        return step


def draw(rows: List[Dict[str, Any]], totals: Dict[str, int], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bot import content

    text = content.load_yaml("funnel.yml")
    labels = [step_label(str(r["question_id"])) for r in rows]
    parts = {k: [int(r[k]) for r in rows] for k in ("answered", "skipped", "dropped_out_here")}
    parts["other"] = [
        int(r["reached"]) - sum(parts[k][i] for k in ("answered", "skipped", "dropped_out_here"))
        for i, r in enumerate(rows)
    ]
    names = dict(text["columns"], other=text["other"])
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(rows) + 1.6), dpi=100)
    left = [0] * len(rows)
    ys = list(range(len(rows)))
    for key in ("answered", "skipped", "dropped_out_here", "other"):
        ax.barh(ys, parts[key], left=left, color=COLOURS[key], label=names[key], height=0.7)
        left = [a + b for a, b in zip(left, parts[key], strict=True)]
    for y, r in zip(ys, rows, strict=True):
        ax.text(int(r["reached"]), y, f" {r['reached']}", va="center", fontsize=8)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(text["x_axis"])
    ax.set_title(
        f"{text['title']}  ({text['totals']['started']}: {totals.get('started', 0)})", fontsize=10, pad=34
    )
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=7, frameon=False)
    ax.margins(x=0.08)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path
