"""The progress store: card states, the review log, settings and aliases, kept in TinyDB files.

One concern a module:

* ``files``      atomic, durable file writes and the JSON encoding of one file
* ``layout``     where everything lives in a data folder; the contents of a complete store
* ``logline``    one line of the review log (schema 3): a review, compactly
* ``records``    validation of every table, document and log line read
* ``backends``   real files or memory, behind one ``Backend`` interface (the only TinyDB users)
* ``lock``       the single-writer lock
* ``store``      :class:`Store` itself: cards, the review log, settings, aliases
* ``migrations`` the registry that brings older schemas up to date
* ``backups``    daily copies, listing and restoring them
* ``doctor``     checking a store; ``repair`` salvaging a damaged one

Import what you need from here (``from hipquiz.core.store import Store``); errors live in
:mod:`hipquiz.core.errors` and are re-exported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hipquiz.core.errors import (
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreNotAFolder,
    StoreTooNew,
)
from hipquiz.core.store.backends import AtomicJSONStorage
from hipquiz.core.store.files import require_folder
from hipquiz.core.store.layout import (
    SCHEMA_VERSION,
    SHARDS,
    shard_name,
    write_store,
)
from hipquiz.core.store.lock import lock_holder
from hipquiz.core.store.store import Store

if TYPE_CHECKING:
    from hipquiz.core.store.backups import (
        DEFAULT_BACKUPS_KEEP,
        BackupInfo,
        list_backups,
        list_migration_copies,
        make_daily_backup,
        restore_backup,
    )
    from hipquiz.core.store.doctor import check_store, has_store, refuse_newer
    from hipquiz.core.store.repair import RepairReport, repair_store

# Imported when first named: checking and repairing a store are commands of their own, and backups
# are taken after the first screen (or at close): none is part of opening a store (the first card
# of 'hipquiz study' does not wait for them).
_ON_FIRST_USE = {**dict.fromkeys(("DEFAULT_BACKUPS_KEEP", "BackupInfo", "list_backups", "list_migration_copies",
                                  "make_daily_backup", "restore_backup"), "backups"),
                 "check_store": "doctor", "has_store": "doctor", "refuse_newer": "doctor",
                 "RepairReport": "repair", "repair_store": "repair"}

__all__ = [
    "DEFAULT_BACKUPS_KEEP", "SCHEMA_VERSION", "SHARDS", "AtomicJSONStorage", "BackupInfo",
    "RepairReport", "Store", "StoreCorrupt", "StoreError", "StoreLocked", "StoreNotAFolder",
    "StoreTooNew", "check_store", "has_store", "list_backups", "list_migration_copies", "lock_holder",
    "make_daily_backup", "refuse_newer", "repair_store", "require_folder", "restore_backup", "shard_name", "write_store",
]


def __getattr__(name: str) -> Any:
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
