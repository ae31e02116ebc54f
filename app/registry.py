"""Every kind of op, gathered from the domains that declare them (``app.kinds``).

What is derived here is never listed by hand elsewhere: which kinds exist and what
they carry, who may write each (asked by every replica and by the hub), its merge
rule, and the tables a group's state lives in, in the order a rebuild clears them and
the dump prints them.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app import kinds
from app.codes import Code, Refusal
from app.domain import Domain, Kind, Table
from app.errors import InvalidOp
from app.ops import Op
from app.payload import ident
from app.roles import LEAST_RANK, refusal_for

if TYPE_CHECKING:
    from app.apply import Applier

KindName = tuple[str, str]


class Registry:
    def __init__(self, domains: Iterable[Domain] = ()) -> None:
        self._domains: dict[str, Domain] = {}
        for domain in domains:
            self.add(domain)

    def add(self, domain: Domain) -> None:
        """Take in a domain's kinds and tables; refused if any is declared already."""
        held = {k.name for d in self._domains.values() for k in d.kinds}
        tables = {t.name for d in self._domains.values() for t in d.tables}
        clash = held & {k.name for k in domain.kinds}
        clash_tables = tables & {t.name for t in domain.tables}
        if domain.name in self._domains or clash or clash_tables:
            raise ValueError(f"domain {domain.name!r} declares what is declared already")
        missing = set(domain.needs) - set(self._domains)
        if missing:
            raise ValueError(f"domain {domain.name!r} needs {sorted(missing)} first")
        self._domains[domain.name] = domain
        self._derive()

    def remove(self, name: str) -> None:
        del self._domains[name]
        self._derive()

    def _derive(self) -> None:
        domains = self.domains  # in the order added: parents first
        self.kinds: dict[KindName, Kind] = {k.name: k for d in domains for k in d.kinds}
        self.tables: tuple[Table, ...] = tuple(t for d in domains for t in d.tables)
        self.membership = frozenset(k.name for k in self.kinds.values() if k.membership)
        self.personal = frozenset(k.name for k in self.kinds.values() if k.personal)
        self.erasing = frozenset(k.name for k in self.kinds.values() if k.erases)
        self.searchable = tuple(t.name for t in self.tables if t.searchable)

    @property
    def domains(self) -> tuple[Domain, ...]:
        return tuple(self._domains.values())

    def kind_of(self, op: Op) -> Kind:
        kind = self.kinds.get((op.kind, op.action))
        if kind is None:
            raise InvalidOp(f"op {op.id}: unknown change {op.kind}.{op.action}")
        return kind

    def validate(self, op: Op) -> None:
        """Raise InvalidOp if the op's kind, action or payload is not one Moot writes."""
        kind = self.kind_of(op)
        if not ident(op.entity) or not ident(op.group):
            raise InvalidOp(f"op {op.id}: malformed entity or group id")
        if op.action == "create" and op.entity != op.id:
            # An entity's id is the id of the op that made it, so no later op can claim
            # to create it again.
            raise InvalidOp(f"op {op.id}: a created entity takes the id of its op")
        name = f"{op.kind}.{op.action}"
        if op.payload is None:
            if not kind.personal:
                # Only personal data is ever erased: anything else arriving without its
                # content was stripped on the way, and would cancel the real op.
                raise InvalidOp(f"op {op.id}: {name} arrived without its content")
            return  # erased: the envelope still proves it was written
        for field, check in kind.required.items():
            if field not in op.payload or not check(op.payload[field]):
                raise InvalidOp(f"op {op.id}: {name} needs a valid {field!r}")
        for field, value in op.payload.items():
            takes = kind.required.get(field) or kind.optional.get(field)
            if takes is None:
                raise InvalidOp(f"op {op.id}: {name} does not take {field!r}")
            if not takes(value):
                raise InvalidOp(f"op {op.id}: {name} has an invalid {field!r}")
        if kind.check is not None:
            kind.check(op)

    def refusal(self, rank: int, op: Op) -> str | None:
        """Why an author of ``rank`` (at the op's stamp) may not write the op; None if they may.

        The one permission rule, asked by laptops as they merge and by the hub as ops
        arrive; finer rules (a post is edited by its author) live in the merge rules.
        """
        kind = self.kind_of(op)
        if rank < LEAST_RANK[kind.least]:
            return refusal_for(kind.least)
        if kind.own is not None and op.entity != op.device:
            return Refusal(Code.NOT_OWNER, kind.own)
        return None

    def refusal_to(self, rank: int, kind: str, action: str) -> Refusal | None:
        """Why an author of ``rank`` may not write this kind of op at all; None if they may.

        For what the hub does on a laptop's behalf, off the log: it makes an invitation
        for those who may invite, and takes a group from those who may admit it.
        """
        least = self.kinds[(kind, action)].least
        return refusal_for(least) if rank < LEAST_RANK[least] else None

    def apply(self, applier: Applier, op: Op) -> str | None:
        """Merge one op: None once it took effect, else the reason it does not (yet)."""
        kind = self.kinds[(op.kind, op.action)]
        reason = self.refusal(applier.rank(op), op)
        return reason if reason is not None else kind.merge(applier, op)

    def clear_group(self, db: sqlite3.Connection, group: str) -> None:
        """Delete a group's materialised rows, children before the parents they point to."""
        db.execute("DELETE FROM search WHERE group_id = ?", (group,))
        for table in reversed(self.tables):
            db.execute(f"DELETE FROM {table.name} WHERE {table.key} = ?", (group,))


def _discover() -> list[Domain]:
    """Each module of ``app.kinds`` declares one domain; ordered so parents come first."""
    found: dict[str, Domain] = {}
    for info in pkgutil.iter_modules(kinds.__path__, prefix=kinds.__name__ + "."):
        domain = importlib.import_module(info.name).DOMAIN
        found[domain.name] = domain
    ordered: list[Domain] = []

    def visit(domain: Domain) -> None:
        if domain not in ordered:
            for need in domain.needs:
                visit(found[need])
            ordered.append(domain)

    for name in sorted(found):
        visit(found[name])
    return ordered


REGISTRY = Registry(_discover())
