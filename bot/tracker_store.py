"""Rasa's SQL tracker store with connections checked before use.

Rasa's SQLTrackerStore pools its database connections and does not test them. After PostgreSQL
restarts, the first query on each pooled connection fails, and Rasa's FailSafeTrackerStore turns
that failure into "no tracker yet": the first turn per server answered from an empty
conversation. ``pool_pre_ping`` makes SQLAlchemy test a connection before handing it out and
replace it when it is dead. endpoints-prod.yml names this class as the tracker store type.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class PrePingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pooled: sa.engine.Engine = self.engine  # type: ignore[has-type]
        url = pooled.url
        pooled.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
