"""A marshmallow schema's ``dump`` of plain dicts, compiled once into plain Python.

``AdviceSchema().dump(answer)`` spent about 40 % of an uncached ``POST /v1/advice`` walking
marshmallow's fields one by one (176,000 field calls for 400 answers, profiled). What the dump
does to an answer the advisor built is simple: keep the schema's fields in the schema's order,
leave out those the dict lacks, recurse into nested schemas and lists of them, and turn each
scalar into its type. ``project(schema)`` compiles exactly that, from the schema's own declared
fields, so the schema stays the one description of the answer's shape.

Only the field types the response schemas use are compiled; any other raises at start, never
while answering. tests/property/test_projection.py proves, over random profiles, that the
compiled dump's JSON is byte for byte the schema's.
"""

from collections.abc import Callable

from marshmallow import Schema, fields

Dump = Callable[[object], object]
#: Scalars as marshmallow serialises them (its String and Integer fields call str and int).
_SCALARS: dict[type, Dump] = {fields.String: str, fields.Integer: int, fields.Boolean: bool}


def project(schema: Schema | type[Schema]) -> Callable[[dict], dict]:
    """The dump of ``schema`` for plain dicts."""
    instance = schema() if isinstance(schema, type) else schema
    plan = [(name, field.data_key or name, _field(field))
            for name, field in instance.dump_fields.items()]

    def dump(data: dict) -> dict:
        return {key: convert(data[name]) if data[name] is not None else None
                for name, key, convert in plan if name in data}

    return dump


def _field(field: fields.Field) -> Dump:
    if isinstance(field, fields.Nested):
        return project(field.schema)
    if isinstance(field, fields.List):
        inner = _field(field.inner)
        return lambda values: [inner(value) if value is not None else None for value in values]
    for kind, convert in _SCALARS.items():
        if type(field) is kind:
            return convert
    raise TypeError(f"no compiled dump for {type(field).__name__}")
