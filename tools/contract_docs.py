"""Write, or check, the parts of openapi.yaml and docs/api.md that state the contract's values.

service/contract/vocabulary.py is the one source of every value a request field takes, of its
label (the words a person reads) and of the contract version that added it. From it this tool
writes:

* in openapi.yaml, the schema of each request field's values (``Location``, ``Trigger``...,
  found through the request schema ``AdviceRequest``): its ``enum``, and a ``description``
  giving each value's label and, for a value added after 1.0, the version; and the ``errors``
  of the ``400`` example ``invalid_fields``, which are the service's own answer to
  ``INVALID_REQUEST`` (their first message lists every condition);
* in docs/api.md, the table of values between its two markers.

Everything else in both files is written by hand and stays byte for byte as it is
(tools/yaml_splice.py). docs/development.md ("The contract's one source") says which parts are
generated and why the rest is not.

    python -m tools.contract_docs --write   # make contract-docs
    python -m tools.contract_docs --check   # in make check and make test: exit 1 when stale
"""

import argparse
import sys
import textwrap
from pathlib import Path

import yaml

from service.contract.problems import InvalidInput
from service.contract.request import load_profile
from service.contract.vocabulary import LABELS, REQUEST_FIELDS, added_in
from service.interop.fhir.questionnaire import ITEM_COUNT
from tools.yaml_splice import LOADER, replace_between, replace_values

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path("openapi.yaml")
API_DOC = Path("docs") / "api.md"
WIDTH = 100
FIRST_VERSION = "1.0"
SCHEMAS = ("components", "schemas")
#: The request of the ``400`` example ``invalid_fields``: a typo, an out-of-range age and a
#: trimester without pregnancy.
INVALID_REQUEST = {"locations": ["calf"], "conditions": ["diabetis"], "age": 121,
                   "pregnancy_trimester": 2}
INVALID_EXAMPLE = ("components", "responses", "BadRequest", "content", "application/problem+json",
                   "examples", "invalid_fields", "value", "errors")
VALUES_START = "<!-- values: generated from service/contract/vocabulary.py: make contract-docs -->"
VALUES_END = "<!-- end of the generated values -->"


def since(field: str, value: str, form: str = " (since {})") -> str:
    """`` (since 1.1)`` for a value added after 1.0, else nothing."""
    version = added_in(field, value)
    return "" if version == FIRST_VERSION else form.format(version)


def value_schema(field: str, indent: int) -> dict:
    """The schema of a field's values: each value with its label, then the enum."""
    items = [textwrap.fill(f"- `{value}`: {label}{since(field, value)}", WIDTH - indent,
                           subsequent_indent="  ", break_on_hyphens=False)
             for value, label in LABELS[field].items()]
    return {"type": "string", "description": "\n".join(items) + "\n",
            "enum": list(LABELS[field])}


def value_schema_names(spec: dict) -> dict[str, str]:
    """The name of each field's value schema, as the request schema refers to it."""
    properties = spec["components"]["schemas"]["AdviceRequest"]["properties"]
    names = {}
    for field in LABELS:
        schema = properties[field].get("items", properties[field])
        if "$ref" not in schema:
            raise ValueError(f"openapi.yaml: AdviceRequest's {field} must refer to a schema of "
                             "its values ($ref, or items.$ref for an array)")
        names[field] = schema["$ref"].rsplit("/", 1)[-1]
    return names


def invalid_request_errors() -> dict[str, list[str]]:
    """What the service names in its ``400`` to INVALID_REQUEST."""
    try:
        load_profile(INVALID_REQUEST)
    except InvalidInput as refused:
        return refused.errors
    raise AssertionError("INVALID_REQUEST is accepted: it must break the contract")


def write_spec(text: str) -> str:
    spec = yaml.load(text, Loader=LOADER)  # noqa: S506  (a safe loader)
    values = {(*SCHEMAS, name): value_schema(field, 8)
              for field, name in value_schema_names(spec).items()}
    values[INVALID_EXAMPLE] = invalid_request_errors()
    values[(*SCHEMAS, "RequestField", "enum")] = list(REQUEST_FIELDS)
    values[(*SCHEMAS, "Evidence", "items", "pattern")] = (
        "^(" + "|".join(REQUEST_FIELDS) + r")(\..+)?$")
    for bound in ("minItems", "maxItems"):  # the Questionnaire's items: the free text, the fields
        values[(*SCHEMAS, "FhirQuestionnaire", "properties", "item", bound)] = ITEM_COUNT
    return replace_values(text, values, WIDTH)


def values_table() -> str:
    """The values of every field, in the contract's order, with what each means."""
    rows = ["| field | value | meaning |", "|---|---|---|"]
    for field in (field for field in REQUEST_FIELDS if field in LABELS):
        for number, (value, label) in enumerate(LABELS[field].items()):
            name = f"`{field}`" if number == 0 else ""
            meaning = label.replace("|", "\\|")
            rows.append(f"| {name} | `{value}`{since(field, value, ' ({})')} | {meaning} |")
    return "\n".join(rows) + "\n"


def write_api_doc(text: str) -> str:
    return replace_between(text, VALUES_START, VALUES_END, values_table())


WRITERS = {SPEC: write_spec, API_DOC: write_api_doc}


def stale(root: Path = ROOT) -> dict[Path, str]:
    """The files whose generated parts differ from the vocabulary, with their new text."""
    found = {}
    for path, write in WRITERS.items():
        text = (root / path).read_text(encoding="utf-8")
        new = write(text)
        if new != text:
            found[path] = new
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write the generated parts")
    mode.add_argument("--check", action="store_true", help="exit 1 if a generated part is stale")
    arguments = parser.parse_args(argv)
    found = stale()
    if arguments.write:
        for path, text in found.items():
            (ROOT / path).write_text(text, encoding="utf-8")
            print(f"wrote the generated parts of {path}")
        return 0
    for path in found:
        print(f"{path}: its generated parts are not what service/contract/vocabulary.py says: "
              "run make contract-docs", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
