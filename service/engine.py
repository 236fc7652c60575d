"""The only module that imports durable-rules: one forward-chaining engine per process.

durable-rules has traps that only show under volume and concurrency (see
``shared/notes/durable-rules.md``); this adapter exists to survive them:

* ``Host()`` starts timer threads that run pending actions on their own thread and steal
  chains from concurrent requests, so :class:`_QuietHost` never starts them.
* Session state lives in a C table of 1,024 slots: every evaluation uses a fresh session id
  and deletes its state in ``finally``, whatever happened, so at most one session is live.
* An action that raises does not raise out of ``assert_facts`` (the library stores it in the
  state, ``SystemExit`` and ``KeyboardInterrupt`` too, and the chain goes on without it):
  actions are wrapped, their errors recorded and re-raised after the chain; an interrupt as
  itself, so that a worker that gunicorn aborts mid-action exits instead of answering.
* ``get_state``/``delete_state`` on a session whose assertion raised ``MemoryError`` segfault:
  such a session is never touched again, and the engine reports itself unhealthy.
* The library mutates the ruleset dicts it is given, so it gets a deep copy.
* A batch in which any one fact matches no pattern raises ``MessageNotHandledException``
  before running a single action, silently dropping the matches of every other fact. A rule
  of the adapter's own matches every fact and never fires, so no fact goes unhandled.
* Deleting a session in which no action ran (no rule matched) segfaults while the ruleset has
  never run an action (measured here, 2.0.28); it is safe once one has. So the engine runs
  one warm-up session through a rule of its own before it takes any work.
"""

import contextlib
import copy
import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from durable.engine import Host, MessageNotHandledException

logger = logging.getLogger(__name__)

_WARM_UP = "engine_warm_up"
_CATCH_ALL = "engine_catch_all"

#: An action receives the caller's context and returns the facts to assert next.
Action = Callable[[Any], Iterable[dict]]


class EngineError(RuntimeError):
    """An evaluation failed inside the engine or one of its actions."""


class EngineUnavailable(EngineError):
    """The engine can no longer evaluate (its session table is exhausted)."""


class _QuietHost(Host):
    """A Host whose timer threads never start and whose actions come from a mapping."""

    def __init__(self, actions: dict[str, Callable]):
        self._action_table = actions
        super().__init__()

    def _run(self):
        """Do not start the dispatch timers: they run other requests' actions on their thread."""

    def get_action(self, action_name):
        return self._action_table[action_name]


class RuleEngine:
    """A compiled ruleset that evaluates one batch of facts at a time, safely.

    ``rules`` is a durable-rules ruleset definition whose ``run`` entries name keys of
    ``actions``. Each action is called with the ``context`` given to :meth:`evaluate`.
    Every fact is a dict with an ``"f"`` key (its name).
    """

    def __init__(self, name: str, rules: dict[str, dict], actions: dict[str, Action]):
        self._name = name
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._context: Any = None
        self._errors: list[BaseException] = []
        self._healthy = True
        self.open_sessions = 0
        self.evaluations = 0
        wrapped = {key: self._wrap(action) for key, action in actions.items()}
        wrapped[_WARM_UP] = self._wrap(lambda context: ())
        self._host = _QuietHost(wrapped)
        ruleset = copy.deepcopy(rules)
        ruleset[_WARM_UP] = {"all": [{"m": {"f": _WARM_UP}}], "run": _WARM_UP}
        ruleset[_CATCH_ALL] = {
            "all": [{"any_fact": {"$ex": {"f": 1}}}, {"never": {"$ex": {_CATCH_ALL: 1}}}],
            "run": _WARM_UP,
        }
        self._host.set_rulesets({name: ruleset})
        self.evaluate([{"f": _WARM_UP, "v": True}], None)

    @property
    def healthy(self) -> bool:
        """False once the session table is exhausted: the process should be replaced."""
        return self._healthy

    def evaluate(self, facts: list[dict], context: Any) -> None:
        """Assert ``facts`` in a fresh session and run every rule they chain into.

        Raises :class:`EngineError` if an action or the engine failed, and
        :class:`EngineUnavailable` if the engine cannot take new sessions.
        """
        if not self._healthy:
            raise EngineUnavailable("the rule engine's session table is exhausted")
        with self._lock:
            sid = f"e{next(self._sids)}"
            self._context, self._errors = context, []
            try:
                self._run_session(sid, facts)
            finally:
                self._context = None
            interrupts = [e for e in self._errors if not isinstance(e, Exception)]
            if interrupts:  # SystemExit (a worker's abort or quit), KeyboardInterrupt: let it go
                raise interrupts[0]
            if self._errors:
                raise EngineError("a rule action failed") from self._errors[0]

    def _run_session(self, sid: str, facts: list[dict]) -> None:
        """Assert the facts, then delete the session on every path but MemoryError."""
        self.evaluations += 1
        self.open_sessions += 1
        try:
            self._host.assert_facts(self._name, [dict(fact, sid=sid) for fact in facts])
        except MessageNotHandledException:
            pass  # only for facts without "f"; the session still needs deleting
        except MemoryError as error:
            # Touching this session again segfaults: leave it, and stop taking work.
            self._healthy = False
            logger.error("rule engine session table exhausted; engine marked unhealthy")
            raise EngineUnavailable("the rule engine's session table is exhausted") from error
        except Exception as error:
            self._delete(sid)
            raise EngineError("the rule engine failed") from error
        self._delete(sid)

    def _delete(self, sid: str) -> None:
        # Engine error 309 ("could not delete state") means the state is already gone.
        with contextlib.suppress(Exception):
            self._host.delete_state(self._name, sid)
        self.open_sessions -= 1

    def _wrap(self, action: Action) -> Callable:
        """Run ``action`` with the current context and assert what it returns.

        Exceptions are recorded rather than left to durable-rules, which would store them in
        the session state (and log their messages, which may hold request data).
        """

        def run(c):
            try:
                for fact in action(self._context):
                    c.assert_fact(dict(fact))
            except BaseException as error:  # durable-rules would swallow even SystemExit
                self._errors.append(error)

        return run
