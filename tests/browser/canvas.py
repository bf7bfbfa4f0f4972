"""Clicking what vis-network drew on a map's canvas, the way a person would: at the item's
point, measured anew before each try, and again if the first click selected nothing (on a
busy machine the view may still be settling when a click lands)."""

from __future__ import annotations

from playwright.sync_api import Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

NODE_POINT = """(id) => { const n = window.solgraphMap.network;
  const p = n.getPositions([id])[id];
  n.moveTo({ position: p, scale: 1.2, animation: false });
  return n.canvasToDOM(p); }"""
EDGE_POINT = """(id) => { const n = window.solgraphMap.network;
  const p = n.body.edges[id].edgeType.getPoint(0.5);
  n.moveTo({ position: p, scale: 1.2, animation: false });
  return n.canvasToDOM(p); }"""
"""Centre the view on a node, or on the middle of an edge's curve, and say where that is."""

NODE_SELECTED = "(id) => window.solgraphMap.network.getSelectedNodes().includes(id)"
EDGE_SELECTED = "(id) => window.solgraphMap.network.getSelectedEdges().includes(id)"
EDGE_PANEL = """(id) => Array.from(document.querySelectorAll("#details:not([hidden])"))
  .some(d => d.dataset.shown === "edge:" + id && d.querySelector(".sources li"))"""
"""The edge's details panel is shown with its sources listed."""

TRIES = 3


def click(where: Page | Frame, script: str, item_id: str, done: str) -> None:
    """Click the item where ``script`` says it is drawn, until ``done`` (a function of the id)
    holds, trying up to three times."""
    mouse = where.mouse if isinstance(where, Page) else where.page.mouse
    for attempt in range(TRIES):
        box = where.locator("#map canvas").bounding_box()
        assert box is not None
        point = where.evaluate(script, item_id)
        mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        try:
            where.wait_for_function(done, arg=item_id, timeout=8000)
            return
        except PlaywrightTimeout:
            if attempt == TRIES - 1:
                raise
