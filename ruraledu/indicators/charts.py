"""ECharts options built on the server (the page only hands them to echarts.init)."""


def trend_chart(
    *,
    title: str,
    years: list[int],
    values: list[float | None],
    unit: str,
    threshold: float | None = None,
) -> dict:
    series = {
        "type": "line",
        "name": title,
        # a share to the hundredth, as the tables print it; ratios keep four places
        "data": [None if v is None else round(v, 2 if unit == "%" else 4) for v in values],
        "connectNulls": False,
        "label": {"show": True},
    }
    if threshold is not None:
        series["markLine"] = {
            "symbol": "none",
            "data": [{"yAxis": threshold, "name": "目标"}],
            "lineStyle": {"type": "dashed", "color": "#b02a37"},
            # inside the plot, above the line's start (a trend rises towards it at the end): past the
            # line's end the label was cut off at the edge
            "label": {"formatter": f"目标 {threshold}{unit}", "position": "insideStartTop"},
        }
    return {
        "aria": {"enabled": True},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 24, "top": 32, "bottom": 32},
        "xAxis": {"type": "category", "data": [f"{y}学年" for y in years]},
        "yAxis": {"type": "value", "name": unit},
        "series": [series],
    }


def bar_chart(
    *, labels: list[str], values: list[float | None], unit: str, threshold: float | None = None
) -> dict:
    series = {"type": "bar", "data": [None if v is None else round(v, 4) for v in values]}
    if threshold is not None:
        series["markLine"] = {
            "symbol": "none",
            "data": [{"yAxis": threshold}],
            "lineStyle": {"type": "dashed", "color": "#b02a37"},
        }
    return {
        "aria": {"enabled": True},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 24, "top": 24, "bottom": 80},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 40, "interval": 0}},
        "yAxis": {"type": "value", "name": unit},
        "series": [series],
    }


def sparkline(*, points: list[tuple[int, float]]) -> dict:
    """A small trend line for a headline figure."""
    return {
        "aria": {"enabled": True},
        "grid": {"left": 4, "right": 4, "top": 8, "bottom": 4},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "show": False, "data": [f"{y}学年" for y, _ in points]},
        "yAxis": {"type": "value", "show": False, "scale": True},
        "series": [
            {
                "type": "line",
                "data": [round(v, 4) for _, v in points],
                "symbolSize": 4,
                "areaStyle": {"opacity": 0.15},
            }
        ],
    }


def radar_chart(*, labels: list[str], shares: list[float | None]) -> dict:
    """Each indicator as a percentage of its standard; the standard is the 100 ring."""
    top = max([100.0, *[s for s in shares if s is not None]]) * 1.1
    return {
        "aria": {"enabled": True},
        "tooltip": {},
        "legend": {"data": ["本校（占标准%）", "标准"], "bottom": 0},
        "radar": {
            "indicator": [{"name": label, "max": round(top)} for label in labels],
            "radius": "62%",
        },
        "series": [
            {
                "type": "radar",
                "data": [
                    {"name": "本校（占标准%）", "value": [round(s or 0, 1) for s in shares]},
                    {"name": "标准", "value": [100] * len(labels), "lineStyle": {"type": "dashed"}},
                ],
            }
        ],
    }
