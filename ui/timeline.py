"""The recurrence timeline: years across, threads down, one point per recommendation.

Points are coloured by status, a recommendation agreed earlier and raised again is
ringed, one an inspector confirmed as a repeat is ticked, and several instances in one
year sit side by side.
"""
from __future__ import annotations

from typing import Sequence

MAX_PLOT_THREADS = 20
STATUS_COLOURS = {"Agreed": "#2e7d32", "Partly Agreed": "#ef8f00", "Not Agreed": "#c62828", None: "#9e9e9e"}


def timeline_figure(threads: Sequence, max_threads: int = MAX_PLOT_THREADS):
    """Years across, threads down; points coloured by status; agreed-then-repeated ringed."""
    import textwrap

    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from search.records.recurrence import AGREED_THEN_REPEATED, CONFIRMED

    shown = list(threads)[:max_threads]
    fig = Figure(figsize=(10, 1.6 + 0.55 * max(len(shown), 1)), layout="constrained")
    ax = fig.subplots()
    if not shown:
        ax.text(0.5, 0.5, "No recurring recommendations found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    years = sorted({r.year for t in shown for r in t.instances if r.year})
    for row, t in enumerate(shown):
        seen: dict[int, int] = {}
        xs = []
        for r, flags in zip(t.instances, t.flags):
            if not r.year:
                continue
            k = seen.get(r.year, 0)
            seen[r.year] = k + 1
            x = r.year + 0.12 * k  # several in one year sit side by side
            xs.append(x)
            ax.scatter([x], [row], s=70, color=STATUS_COLOURS.get(r.status, STATUS_COLOURS[None]), zorder=3)
            if AGREED_THEN_REPEATED in flags:
                ax.scatter([x], [row], s=230, facecolors="none", edgecolors="black", linewidths=1.4, zorder=4)
            if CONFIRMED in flags:
                ax.annotate("✓", (x, row), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=9,
                            zorder=5)
        if len(xs) > 1:
            ax.plot([min(xs), max(xs)], [row, row], color="#bbbbbb", lw=1.5, zorder=1)
    labels = [textwrap.shorten(("↻ " if t.agreed_then_repeated else "") + t.label, 60) for t in shown]
    ax.set_yticks(range(len(shown)), labels=labels, fontsize=8)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xticks(years, labels=[str(y) for y in years])
    ax.set_xlim(min(years) - 0.6, max(years) + 0.8)
    ax.grid(axis="x", color="#eeeeee")
    handles = [Line2D([], [], marker="o", ls="", color=c, label=s or "status unknown")
               for s, c in STATUS_COLOURS.items()]
    handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="black",
                          markersize=11, label="agreed, then recommended again"))
    if any(CONFIRMED in f for t in shown for f in t.flags):
        handles.append(Line2D([], [], marker="$✓$", ls="", color="black", label="confirmed by an inspector"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8, frameon=False)
    ax.set_title("Recurring recommendations by year")
    return fig
