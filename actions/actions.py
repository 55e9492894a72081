"""Custom Rasa actions.

Actions stay thin: they read slots from the tracker, call plain typed functions
in `bot/` and turn the result into messages. The greeting flow needs no custom
action (the rule answers with `utter_greet`), so this module defines none yet;
it exists so the action server has a package to load and answers /health.
"""

from __future__ import annotations

__all__: list[str] = []
