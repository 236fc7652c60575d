"""The only module that imports durable-rules: one forward-chaining engine per process.

durable-rules 2.0.28 has traps that only show under volume, concurrency or unusual input
(``docs/engine.md`` has the measurements); this adapter exists to survive them:

* Its Python ``Host`` starts timer threads that run pending actions on their own thread and
  steal chains from concurrent requests, round-trips the session state as JSON at every
  action, and mutates the rulesets it is given. The adapter uses none of it: it drives the
  engine's C core (``durable_rules_engine``) directly through :class:`Core`, on the
  calling thread only, which also halves the cost of an evaluation (docs/engine.md).
* Session state lives in a C table of 1,024 slots: every evaluation uses a fresh session id
  and deletes its state in ``finally``, whatever happened, so at most one session is live.
* An action that raises would be stored in the session and the chain would go on without
  it: actions are wrapped, the chain stops at the first error, and the error is raised after
  the session is gone (an interrupt such as ``SystemExit`` as itself, so that a worker that
  gunicorn aborts mid-action exits instead of answering).
* ``get_state``/``delete_state`` on a session whose assertion raised ``MemoryError`` segfault:
  such a session is never touched again, and the engine reports itself unhealthy.
* The C core's JSON reader takes an exponent only after a decimal point: ``1e-05``, which is
  how Python writes 0.00001, stops it mid-fact. A single fact then fails with error 204, but a
  batch answers "success", having silently dropped that fact and every fact after it (a red
  flag vanished this way), with a state handle it never set if the first fact was the one. So
  facts and the ruleset are written by :func:`engine_json`, which gives every number a form the
  core reads exactly (``1.0e-05``) and refuses any value it cannot (a non-finite float, an
  integer beyond 2**53, a string with quotes, escapes or separators); every batch opens with a
  fact of the adapter's own, so the handle is always one the core set; and should a fact ever be
  dropped still, the rules it would have fired are missing, which the caller's completeness
  proof catches. (Asserting the facts one by one instead costs twice as much for 55 facts.)
* Each pattern of a rule's ``all`` matches a different fact: ``age >= 16`` and ``age < 65`` as
  two patterns never fire on the one ``age`` fact. The compiler makes a rule's terms on one
  fact one pattern (service/knowledge/compiler.py: a fact per request field).
* The core walks the tests of the patterns on a fact with a stack of 64 pending tests (error
  303 past it, as one fact holding a whole profile did): the compiler refuses more than 48
  distinct tests on one fact, and an overflow would still raise :class:`EngineError`.
* A batch in which any one fact matches no pattern is refused before a single action runs,
  silently dropping the matches of every other fact. A rule of the adapter's own matches
  every fact and never fires, so no fact goes unhandled, and an "unhandled" status is an error.
* Deleting a session in which no action ran segfaults while the ruleset has never run an
  action (measured here, 2.0.28); it is safe once one has. So the engine runs one warm-up
  session through a rule of its own before it takes any work.
* The 2.0.28 release calls ``PyEval_CallObject``, which Python 3.13 removed: there its C
  extension does not load (``undefined symbol: PyEval_CallObject``). The service installs, on
  every Python, a build of 2.0.28 patched as upstream fixed it (``PyObject_CallObject``, in
  every Python 3), reported as version ``2.0.28+pyobjectcall.lazystate`` (third_party/
  durable-rules/).
* Each new session allocated and cleared the state of every join of the ruleset, about 2 MB
  here: an empty session cost 95 µs. The same build sets a join's state up when the first fact
  reaches it (third_party/durable-rules/lazy-session-state.patch): 28 µs.

What the adapter cannot see is whether the rules that fired are all the rules that should
have: the caller checks that (``service.advice.completeness``) and refuses to answer if not.
"""

import itertools
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import durable_rules_engine as core

logger = logging.getLogger(__name__)

#: A fact: its name (``f``) and the values of its keys.
Fact = dict[str, object]
#: An action receives the caller's context and returns the facts to assert next.
Action = Callable[[Any], Iterable[Fact]]
_WARM_UP = "engine_warm_up"
_CATCH_ALL = "engine_catch_all"
_OPENING = "engine_session"
#: How long an evaluation may wait for the engine before the request is turned away, and how
#: long one may run before the engine reports itself stuck (/readyz then answers 503).
LOCK_TIMEOUT_S = 10.0
STUCK_AFTER_S = 10.0
# Status codes of an assertion's result, as durable.engine.Ruleset._handle_result reads them.
_UNHANDLED, _OBSERVED, _NOTHING_PENDING = 1, 2, 3


class EngineError(RuntimeError):
    """An evaluation failed inside the engine or one of its actions."""


class EngineUnavailable(EngineError):
    """The engine cannot evaluate now: its session table is exhausted, or it is stuck."""


class Core:
    """One compiled ruleset in durable-rules' C core, and the calls an evaluation makes.

    Facts are written with their session's id by :func:`engine_json`, member by member. A
    member whose value is ``true`` or a string (every signal of a request field, the name of
    every fact) recurs from one session to the next, so its text is kept, up to ``TEXT_MEMO``
    of them: writing facts as JSON was a fifth of an evaluation.
    """

    TEXT_MEMO = 4096

    def __init__(self, name: str, ruleset: dict[str, dict[str, Any]]) -> None:
        self.handle: int = core.create_ruleset(name, engine_json(ruleset))
        self._members: dict[tuple[str, object], str] = {}
        self._end = ("", "")

    def assert_facts(self, facts: list[Fact], sid: str) -> int:
        """Assert a batch in session ``sid``; answer its state handle (0 when no action is
        pending)."""
        end = self._session_end(sid)
        text = "[" + ",".join(self._text(fact) + end for fact in facts) + "]"
        return _state_of(core.assert_facts(self.handle, text))

    def assert_fact(self, fact: Fact, sid: str) -> int:
        return _state_of(core.assert_fact(self.handle, self._text(fact) + self._session_end(sid)))

    def _session_end(self, sid: str) -> str:
        """What closes each fact of session ``sid``: its id (the adapter's own, checked all the
        same, once per session)."""
        if self._end[0] != sid:
            _check_value(sid)
            self._end = (sid, ',"sid":"' + sid + '"}')
        return self._end[1]

    def _text(self, fact: Fact) -> str:
        """``fact`` as the core reads it, without its closing brace (the session id follows)."""
        if not fact or "sid" in fact:
            raise EngineError("a fact is empty or names a session itself")
        members = self._members
        texts = []
        for name, value in fact.items():
            # Only true and strings are kept: as keys of a dict, 1 and 1.0 equal True.
            kept = value is True or value.__class__ is str
            text = members.get((name, value)) if kept else None
            if text is None:
                text = engine_json({name: value})[1:-1]
                if kept and len(members) < self.TEXT_MEMO:
                    members[name, value] = text
            texts.append(text)
        return "{" + ",".join(texts)

    def first_action(self, state: int) -> str | None:
        """The engine rule whose action runs first in this session, if any."""
        pending = core.start_action_for_state(self.handle, state)
        return _rule_of(pending[1]) if pending else None

    def next_action(self, state: int) -> str | None:
        """Complete the running action and answer the rule of the next one, if any."""
        pending = core.complete_and_start_action(self.handle, state)
        return _rule_of(pending) if pending else None

    def abandon(self, state: int) -> None:
        core.abandon_action(self.handle, state)

    def delete(self, sid: str) -> None:
        core.delete_state(self.handle, sid)


#: Strings the core reads as written: no quote, backslash or other character its JSON reader
#: would have to unescape (fact names, rule names, operators and session ids are identifiers),
#: and none of the characters that separate JSON values, so that in the text below a number can
#: only follow one of them.
_PLAIN = re.compile(r"[A-Za-z0-9_.#<>=+$-]{1,200}")
#: A number written with an exponent but no point (Python's 1e-05), which the core misreads.
_BARE_EXPONENT = re.compile(r"(?<=[:,\[])(-?[0-9]+)(?=[eE])")
#: Integers the core compares exactly with a double threshold (it holds them in 64 bits, but
#: compares them as doubles, which hold every integer only up to 2**53).
_EXACT_INT = 2**53


def engine_json(value: object) -> str:
    """``value`` (a fact or a ruleset) as JSON text the C core reads back exactly, or
    :class:`EngineError` for what it cannot read: never a text it would silently misread.

    Python's encoder writes each float as ``repr`` does, the shortest text that reads back as
    the same double (the core's ``strtod`` rounds correctly); the core wants a point before an
    exponent, which is added: ``1e-05`` becomes ``1.0e-05``.
    """
    _check(value)
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return _BARE_EXPONENT.sub(r"\1.0", text) if "e" in text or "E" in text else text


def _check(value: object) -> None:
    """Refuse anything the core could misread, before a byte is written. Flat values are
    checked in the loop, not by a call each: an evaluation writes a few hundred of them."""
    if isinstance(value, dict):
        for key, item in value.items():
            if type(key) is not str or _PLAIN.fullmatch(key) is None:
                raise EngineError("a fact holds a name the engine cannot read exactly")
            if item is not True and item is not False:
                _check_value(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check(item)
    else:
        _check_value(value)


def _check_value(value: object) -> None:
    if type(value) is str:
        if _PLAIN.fullmatch(value) is None:
            raise EngineError("a fact holds a string the engine cannot read exactly")
    elif type(value) is int:
        if abs(value) > _EXACT_INT:
            raise EngineError("a fact holds an integer the engine cannot compare exactly")
    elif type(value) is float:
        if not math.isfinite(value):
            raise EngineError("a fact holds a number that is not finite")
    elif type(value) in (dict, list, tuple):
        _check(value)
    elif value is not True and value is not False:
        raise EngineError("a fact holds a value the engine cannot read exactly")


def _state_of(result: tuple[int, int]) -> int:
    """The state handle of an assertion's result, or the error its status code means."""
    code = result[0]
    if code == _UNHANDLED:
        raise EngineError("a fact matched no pattern")
    if code == _OBSERVED:
        raise EngineError("a fact was asserted twice in one session")
    return 0 if code == _NOTHING_PENDING else result[1]


def _rule_of(message: str) -> str:
    """The rule name of a pending action, ``{"<rule>":{...matched facts...}}``.

    Rule names are plain identifiers (``engine_json`` writes no other string into a ruleset),
    so the name is the text between the first two quotes: no need to parse the matched facts,
    which took a JSON decode per firing. A name with a backslash (the quote after it might be
    escaped) or any other shape is parsed as JSON all the same.
    """
    end = message.find('"', 2)
    name = message[2:end]
    if end > 2 and message.startswith('{"') and message.startswith('":', end) \
            and "\\" not in name:
        return name
    first: str = next(iter(json.loads(message)))
    return first


class RuleEngine:
    """A compiled ruleset that evaluates one batch of facts at a time, safely.

    ``rules`` is a durable-rules ruleset definition whose ``run`` entries name keys of
    ``actions``. Each action is called with the ``context`` given to :meth:`evaluate`.
    Every fact is a dict with an ``"f"`` key (its name).
    """

    #: What holds the ruleset in the C core; a subclass may give another (the fault tests do).
    core_class: type[Core] = Core

    def __init__(self, name: str, rules: dict[str, dict[str, Any]],
                 actions: dict[str, Action]) -> None:
        ruleset = {rule: {k: v for k, v in spec.items() if k != "run"}
                   for rule, spec in rules.items()}
        self._actions = {rule: actions[spec["run"]] for rule, spec in rules.items()}
        ruleset[_WARM_UP] = {"all": [{"m": {"f": _WARM_UP}}]}
        self._actions[_WARM_UP] = lambda context: ()
        ruleset[_CATCH_ALL] = {
            "all": [{"any_fact": {"$ex": {"f": 1}}}, {"never": {"$ex": {_CATCH_ALL: 1}}}],
        }
        self._core = self.core_class(name, ruleset)
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._exhausted = False
        self._running_since: float | None = None
        self.open_sessions = 0
        self.evaluations = 0
        self._run_session("warm-up", [{"f": _WARM_UP, "v": True}], None)

    @property
    def healthy(self) -> bool:
        """False once the session table is exhausted or an evaluation has hung."""
        started = self._running_since
        stuck = started is not None and time.monotonic() - started > STUCK_AFTER_S
        return not (self._exhausted or stuck)

    def evaluate(self, facts: list[Fact], context: Any) -> None:
        """Assert ``facts`` in a fresh session and run every rule they chain into.

        Raises :class:`EngineError` if an action or the engine failed, and
        :class:`EngineUnavailable` if the engine cannot take new sessions.
        """
        if self._exhausted:
            raise EngineUnavailable("the rule engine's session table is exhausted")
        if not self._lock.acquire(timeout=LOCK_TIMEOUT_S):
            raise EngineUnavailable("the rule engine is busy past its limit")
        try:
            self._running_since = time.monotonic()
            self._run_session(f"e{next(self._sids)}", facts, context)
        finally:
            self._running_since = None
            self._lock.release()

    def _run_session(self, sid: str, facts: list[Fact], context: Any) -> None:
        """Assert, run the chain, then delete the session on every path but MemoryError."""
        self.evaluations += 1
        self.open_sessions += 1
        try:
            # The batch opens with a fact of the adapter's own, so that the state handle the core
            # answers is always one it set (see the module's docstring).
            state = self._core.assert_facts([{"f": _OPENING, "v": True}, *facts], sid)
        except MemoryError as error:
            # Touching this session again segfaults: leave it, and stop taking work.
            self._exhausted = True
            logger.error("rule engine session table exhausted; engine marked unhealthy")
            raise EngineUnavailable("the rule engine's session table is exhausted") from error
        except BaseException as error:
            self._delete(sid)
            if not isinstance(error, Exception):
                raise
            raise EngineError("the rule engine failed") from error
        try:
            failure = self._run_chain(sid, state, context) if state else None
        except BaseException as error:
            failure = error
        self._delete(sid)
        if failure is not None and not isinstance(failure, Exception):
            raise failure  # SystemExit, KeyboardInterrupt: let it go
        if failure is not None:
            raise EngineError("a rule action failed") from failure

    def _run_chain(self, sid: str, state: int, context: Any) -> BaseException | None:
        """Run each pending action in turn; the facts it returns may add more actions."""
        rule = self._core.first_action(state)
        while rule is not None:
            try:
                for fact in self._actions[rule](context):
                    self._core.assert_fact(fact, sid)
            except BaseException as error:
                self._core.abandon(state)
                return error
            rule = self._core.next_action(state)
        return None

    def _delete(self, sid: str) -> None:
        try:
            self._core.delete(sid)
        except Exception:  # error 309: the state is already gone
            logger.debug("rule engine session already gone")
        self.open_sessions -= 1
