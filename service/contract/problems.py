"""What is wrong with an input, bounded: the field-level ``errors`` of a 400 problem document.

The contract's request schema, the FHIR and CDS Hooks readers and the body parser all report
their findings here, and the web layer (service/web/problems.py) answers :class:`InvalidInput`
with a 400 whose ``errors`` are :meth:`Problems.shown`. Knows no web framework, so the readers
that raise it do not either.

``errors`` is bounded whatever the body: a 64 KiB body of 21,832 bad values once got a 7.3 MB
answer. Each field shows its first problems and a count of the rest, the document as a whole at
most about 4 KiB of them and a count of what was left out.
"""

from collections.abc import Callable, Iterable, Mapping

#: Bounds of a problem document's ``errors``: messages shown per field, characters of a field
#: name and of a message (longer ones are cut, with an ellipsis), and characters in all.
MAX_MESSAGES = 5
MAX_NAME = 80
MAX_MESSAGE = 600
BUDGET = 4096
OTHERS = "_schema"  # the body as a whole: also where the count of left-out fields goes


class Problems(dict[str, list[str]]):
    """``{field or path: [message, ...]}``, collected within bounds from the first problem on,
    so that neither the error answer nor the memory to build it grows with the body.

    What does not fit is counted: a field's last message says how many more it has, and
    ``_schema`` how many problems of other fields were left out, and how much of the body a
    loop did not look at once nothing more could be shown (:attr:`full`, :meth:`unchecked`).
    """

    def __init__(self, errors: Mapping[str, Iterable[str]] | None = None) -> None:
        super().__init__()
        self._size = 0
        self._more: dict[str, int] = {}
        self._left_out = 0
        self._unchecked: list[str] = []
        for name, messages in (errors or {}).items():
            for message in messages:
                self.add(name, message)

    @property
    def full(self) -> bool:
        """No more fields will be shown: a long loop over the body may stop (see unchecked)."""
        return self._size >= BUDGET

    def add(self, name: str, message: str) -> None:
        name = cut(str(name), MAX_NAME)
        if name not in self:
            if self.full:
                self._left_out += 1
                return
            self._show(name, message)
        elif len(self[name]) < MAX_MESSAGES and not self.full:
            self._show(name, message)
        else:
            self._more[name] = self._more.get(name, 0) + 1

    def unchecked(self, count: int, what: str) -> None:
        """Note that a loop stopped, once full, with ``count`` more ``what`` not looked at."""
        if count:
            self._unchecked.append(f"... and {count:,} more {what}, not checked.")

    def _show(self, name: str, message: str) -> None:
        message = cut(str(message), MAX_MESSAGE)
        self.setdefault(name, []).append(message)
        self._size += len(name) + len(message) + 8  # with the JSON around them

    def check(self, ok: bool, name: str, message: str) -> None:
        if not ok:
            self.add(name, message)

    def raise_any(self, detail: str = "") -> None:
        if self:
            raise InvalidInput(self, detail or InvalidInput.detail)

    def renamed(self, rename: Callable[[str], str]) -> "Problems":
        """The same problems and counts, each field named ``rename(name)``."""
        copy = Problems()
        copy.update({rename(name): messages for name, messages in self.items()})
        copy._size, copy._left_out, copy._unchecked = self._size, self._left_out, self._unchecked
        copy._more = {rename(name): count for name, count in self._more.items()}
        return copy

    def shown(self) -> dict[str, list[str]]:
        """The messages shown, with each field's count of the rest and the count left out."""
        errors = {name: list(messages) for name, messages in self.items()}
        for name, count in self._more.items():
            errors[name].append(f"... and {count:,} more problems with this field.")
        notes = [f"... and {self._left_out:,} more problems with other fields, left out."
                 ] if self._left_out else []
        if notes or self._unchecked:
            errors.setdefault(OTHERS, []).extend(notes + self._unchecked)
        return errors


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit - 1`` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InvalidInput(ValueError):
    """An input that breaks the contract: its bounded problems by field, and one sentence."""

    detail = "The request body does not match the contract; see errors."

    def __init__(self, errors: dict[str, list[str]], detail: str | None = None) -> None:
        self.problems = errors if isinstance(errors, Problems) else Problems(errors)
        self.detail = detail or type(self).detail
        super().__init__(self.detail)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.problems.shown()
