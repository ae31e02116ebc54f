"""How a domain of the group declares its kinds of op and the tables they write.

Each module of ``app.kinds`` declares one ``Domain``; ``app.registry`` derives from
those declarations all that is listed once per kind: payload validation, the merge
handler, the least role (checked by every replica and by the hub alike), the tables a
rebuild clears and the dump prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.ops import Op
from app.payload import Check

if TYPE_CHECKING:
    from app.apply import Applier

# None once the op has taken effect, else a short reason why it cannot (yet).
Handler = Callable[["Applier", Op], "str | None"]


@dataclass(frozen=True)
class Kind:
    """One kind of change: ``kind.action``, what it carries, who may write it, how it merges."""

    kind: str
    action: str
    merge: Handler
    required: Mapping[str, Check] = field(default_factory=dict)
    optional: Mapping[str, Check] = field(default_factory=dict)
    least: str = "member"  # the least role that may write it (see app.roles.LEAST_RANK)
    # Words refusing it about anyone but its own author (their profile, their details).
    own: str | None = None
    # Its payload is personal data: sealed at rest, and the one kind that may be erased.
    personal: bool = False
    erases: bool = False  # taking it in may blank personal payloads covered by an erasure
    membership: bool = False  # it decides who holds which role (see app.timeline)
    check: Callable[[Op], None] | None = None  # deeper checks of a valid payload's content
    # Payload fields naming other entities it needs (besides its own): an op waiting for
    # one is tried again when that entity arrives, and not at every change.
    refers: tuple[str, ...] = ()

    @property
    def name(self) -> tuple[str, str]:
        return (self.kind, self.action)


@dataclass(frozen=True)
class Dump:
    """How ``moot dump`` prints a table's rows: columns, sort key, column types."""

    columns: str
    order: str
    json: tuple[str, ...] = ()
    bools: tuple[str, ...] = ()
    where: str = ""  # rows that count, when a row can stand for nothing (a reaction taken back)
    single: str | None = None  # printed as one object under this name: the group's own row


@dataclass(frozen=True)
class Table:
    """A table materialised from a group's ops; rows carry ``group_id`` unless ``key`` says."""

    name: str
    dump: Dump | None = None
    # Rows numbered from the one counter that search rowids are made from.
    searchable: bool = False
    key: str = "group_id"


@dataclass(frozen=True)
class Domain:
    """A part of what a group holds: its tables (parents first) and its kinds of op."""

    name: str
    tables: tuple[Table, ...]
    kinds: tuple[Kind, ...]
    needs: tuple[str, ...] = ()  # domains whose rows this one's refer to
