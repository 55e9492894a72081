"""Today's date for the assistant, pinnable so tests mean the same thing every day.

``ASSISTANT_TODAY=2026-11-25`` fixes the date the rule module evaluates on (and that
relative dates such as 去年 resolve against). Unset, it is the real date.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "ASSISTANT_TODAY"


def today() -> dt.date:
    pinned = os.environ.get(ENV, "").strip()
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()
