"""Statements of the cast path written once per model, without the ORM's compiler.

Compiling a query or an insert costs Django 0.4-1.4 ms of CPU, more than the
database takes to run it and more than verifying a ballot; the cast request
runs a dozen. These helpers build each statement's text once per process from
the model's own fields, and turn rows into model instances with the converters
the ORM applies, so SQLite and PostgreSQL give the same objects as a queryset
would. They are for the few statements that run on every cast; everything else
uses the ORM.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]

_lock = threading.Lock()
_columns: dict[tuple[str, type[Model], str], Columns] = {}
_inserts: dict[tuple[str, type[Model], tuple[str, ...], int, str, str], str] = {}


@dataclass(frozen=True)
class Columns:
    """A model's concrete columns as `alias.column, ...`, their attribute names, and
    for each column the converters (with the expression they expect) that turn a
    database value into the field's Python value."""

    model: type[Model]
    sql: str
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]

    def instance(self, values: Sequence[Any]) -> Model:
        """The model instance for this slice of a row, as the ORM would build it."""
        row = list(values)
        for position, converters, expression in self.converters:
            value = row[position]
            for convert in converters:
                value = convert(value, expression, connection)
            row[position] = value
        return self.model.from_db(connection.alias, list(self.attnames), row)

    def __len__(self) -> int:
        return len(self.attnames)


def columns(model: type[M], alias: str | None = None) -> Columns:
    """The select list of `model` (cached per database vendor).

    Converters are functions of their arguments only (SQLite's parse dates and
    booleans, PostgreSQL's are few), so one list serves every thread's connection.
    """
    key = (connection.vendor, model, alias or "")
    found = _columns.get(key)
    if found is not None:
        return found
    quote = connection.ops.quote_name
    prefix = f"{alias}." if alias else f"{quote(model._meta.db_table)}."
    fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
    converters = []
    for position, field in enumerate(fields):
        expression = field.get_col(alias or model._meta.db_table)
        found_converters = (tuple(connection.ops.get_db_converters(expression))
                            + tuple(expression.get_db_converters(connection)))
        if found_converters:
            converters.append((position, found_converters, expression))
    made = Columns(model, ", ".join(prefix + quote(str(field.column)) for field in fields),
                   tuple(field.attname for field in fields), tuple(converters))
    with _lock:
        _columns[key] = made
    return made


def select(model: type[M], where: str, params: Sequence[Any], *,
           for_update: bool = False) -> list[M]:
    """Instances of `model` whose rows match `where` (SQL over the table's own column
    names, `%s` placeholders); `for_update` locks them where the database can."""
    found = columns(model)
    sql = f"SELECT {found.sql} FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {where}"
    if for_update and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return [found.instance(row) for row in cursor.fetchall()]  # type: ignore[misc]


def rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one plain statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


CHUNK_PARAMETERS = 900
"""Parameters per INSERT: below SQLite's oldest limit of 999."""


def insert(model: type[Model], names: Sequence[str], values: Iterable[Sequence[Any]], *,
           conflict: str = "", returning: str = "") -> list[tuple[Any, ...]]:
    """Inserts rows of `model` (its fields `names`, Python values, prepared for the
    database as the ORM would) in multi-row statements; `conflict` is an
    `ON CONFLICT ...` clause, `returning` a column list whose values come back.
    """
    preparers = _preparers(model, tuple(names))
    prepared = [[value if prepare is None else prepare(value, connection)
                 for prepare, value in zip(preparers, row, strict=True)] for row in values]
    per_chunk = max(1, CHUNK_PARAMETERS // len(names))
    returned: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), per_chunk):
            chunk = prepared[start:start + per_chunk]
            cursor.execute(_insert_sql(model, tuple(names), len(chunk), conflict, returning),
                           [value for row in chunk for value in row])
            if returning:
                returned.extend(cursor.fetchall())
    return returned


_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
          models.ForeignKey)
"""Fields whose Python values (str, int, bool, a primary key) the database drivers
take as they are; the others (dates, JSON, UUIDs) are prepared by the field."""

_prepared: dict[tuple[type[Model], tuple[str, ...]], list[Callable[[Any, Any], Any] | None]] = {}


def _preparers(model: type[Model], names: tuple[str, ...]
               ) -> list[Callable[[Any, Any], Any] | None]:
    found = _prepared.get((model, names))
    if found is None:
        fields = [model._meta.get_field(name) for name in names]
        found = [None if isinstance(field, _PLAIN) else field.get_db_prep_save  # type: ignore[union-attr]
                 for field in fields]
        with _lock:
            _prepared[(model, names)] = found
    return found


def _insert_sql(model: type[Model], names: tuple[str, ...], count: int, conflict: str,
                returning: str) -> str:
    key = (connection.vendor, model, names, count, conflict, returning)
    sql = _inserts.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        targets = ", ".join(quote(str(model._meta.get_field(name).column))  # type: ignore[union-attr]
                            for name in names)
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        sql = (f"INSERT INTO {quote(model._meta.db_table)} ({targets}) VALUES "
               + ", ".join([one] * count))
        if conflict:
            sql += f" {conflict}"
        if returning:
            sql += f" RETURNING {returning}"
        with _lock:
            _inserts[key] = sql
    return sql
