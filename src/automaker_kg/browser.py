"""How the project starts headless Chromium (Debian's package, driven by Playwright).

The views' browser tests, the query page's browser test and the benchmark's render step all
launch the same browser the same way: ``pw.chromium.launch(executable_path=str(CHROMIUM),
args=CHROMIUM_ARGS)``. Playwright's own browser download is never used; the flags keep a
root, network-less machine quiet (no sandbox, no background or update traffic).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS"]

CHROMIUM = Path(os.environ.get("AUTOMAKER_KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
