"""JSON logs for the web app: one object per line, without message text or openids.

uvicorn loads this with ``--log-config bot/web/logging.json`` (the supervisor passes it). Each
line: ``{"ts", "level", "logger", "msg"}``; for uvicorn's access log also ``method``, ``path``
(without the query string: WeChat puts the openid there) and ``status``. The client address is
left out. Any openid-like token (``o`` + 27 characters, WeChat's form) in a message is masked
as a last line of defence; routes log no user text in the first place.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

_OPENID = re.compile(r"\bo[A-Za-z0-9_-]{27}\b")


def _clean(text: str) -> str:
    return _OPENID.sub("o***", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            _client, method, full_path, _version, status = record.args
            entry.update(
                msg="request",
                method=str(method),
                path=_clean(str(full_path).split("?", 1)[0]),
                status=int(status),  # type: ignore[call-overload]
            )
        else:
            entry["msg"] = _clean(record.getMessage())
        if record.exc_info:
            entry["exc"] = _clean(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
