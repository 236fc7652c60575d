"""Numbers in a person's words: a cramp's length, the person's age, how often, how far along a
pregnancy is, and the time phrases that put something in the past ("6 years ago").

Numbers may be digits or words ("seventy-two", "sixty eight", "half an hour", "twice a week");
a range counts as its midpoint ("10 to 20 minutes" is 15); seconds become minutes. The
contract's reading conventions decide frequency: 5 or more a week is ``daily``, 1 to 4 a week
``weekly``, 1 to 3 a month ``monthly``, fewer ``rare``. Each reader is one compiled regular
expression run over the text as sent (case-insensitive, so offsets are the text's own).
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from service.contract.free_text import Value
from service.contract.vocabulary import NUMBER_FIELDS

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORDS = {word: n for n, word in enumerate(_UNITS)}
_WORDS.update({word: 20 + 10 * n for n, word in enumerate(_TENS)})
_WORDS.update({"a": 1, "an": 1, "once": 1, "twice": 2, "couple": 2, "a couple": 2,
               "a couple of": 2, "fourty": 40, "hundred": 100, "a hundred": 100})
_WORD = (rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS[1:10])}))?"
         rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))}|fourty)")
NUM = rf"(?:\d+(?:\.\d+)?|{_WORD})"
_RANGE = rf"(?P<a>{NUM})(?:\s*(?:-|to|or|–)\s*(?P<b>{NUM}))?"

_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0}
_DURATION = re.compile(
    rf"\b(?:(?P<phrase>half an hour|half hour|quarter of an hour|an hour and a half"
    rf"|a minute or two|a couple of minutes|a couple minutes|a few (?:minutes|mins|seconds|secs)"
    rf"|several (?:minutes|seconds)|a minute|an hour)"
    rf"|{_RANGE}\s*(?P<unit>seconds?|secs?|minutes?|mins?|min|hours?|hrs?))"
    rf"(?P<after>\s+(?:ago|so far|straight|flight|drive|shifts?|a day|journey|trip|"
    rf"flights?|of)\b)?",
    re.IGNORECASE)
_AGE = re.compile(
    rf"(?:\b(?:i'?m|i am|im|aged?|he'?s|she'?s|hes|shes|he is|she is|is|age:)\s+(?P<a1>{NUM})\b"
    rf"(?!\s*(?:weeks|wks|months|min|mins|minutes|times|x|hours|days|nights|%))"
    rf"|\b(?P<a2>{NUM})\s*(?:-|\s)?(?:yo\b|y/o|yrs?\b(?:\s*old)?|years?(?:\s*-?\s*old|\s+of\s+age)"
    rf"|year-old|yr-old)(?!\s*(?:ago|off|later|on\b|since|now))"
    rf"|\((?P<a6>\d{{1,3}})\)"
    rf"|\b(?P<a3>\d{{1,3}})\s?(?P<sex>[mf])\b"
    rf"|\b(?:female|male|woman|man)\s*,?\s*(?P<a4>\d{{1,3}})\b"
    rf"|(?:^|[,.(?!]\s*)(?P<a5>\d{{1,3}})\s*(?=$|[,.)]|\s+(?:male|female|yo)\b))",
    re.IGNORECASE | re.MULTILINE)
_MONTHS_OLD = re.compile(rf"\b(?P<a>{NUM})\s*months?\s*old\b", re.IGNORECASE)
_GESTATION = re.compile(
    rf"\b(?:(?P<lead>i'?m\s+|im\s+|i am\s+)?(?P<w>{NUM})\s*(?:weeks|wks)\b(?P<preg>\s+pregnant)?"
    rf"(?!\s+(?:ago|now|old))(?P<stop>\s*(?:[,.!]|$))?"
    rf"|pregnant\s+(?P<w2>{NUM})\s*weeks\b"
    rf"|(?P<m>{NUM})\s*months\s+(?:pregnant|gone)\b"
    rf"|(?P<t>first|second|third|1st|2nd|3rd)\s+trimester\b)",
    re.IGNORECASE)
_TRIMESTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_COUNT = rf"(?:{NUM}|once|twice)"
_FREQUENCY = re.compile(
    rf"\b(?P<a>{_COUNT})(?:\s*(?:-|to|or)\s*(?P<b>{_COUNT}))?\s*"
    rf"(?:x|times|nights|days|mornings)?\s*(?:a|per|/|each|an?|in a|every)\s*"
    rf"(?P<per>week|wk|month|year|yr)\b",
    re.IGNORECASE)
_AGO = re.compile(rf"\b(?:(?P<n>{NUM}|a|an|many|few|some|a few|several)\s*)?(?P<unit>years?|yrs?|"
                  rf"months?|weeks?|wks?|days?)\s+ago\b|\bin the \d0s\b|\blast year\b"
                  rf"|\blast (?P<unit2>month|week)\b", re.IGNORECASE)
_WEEKS = {"y": 52.0, "m": 4.3, "w": 1.0, "d": 1 / 7}


#: Words a number reading can start with; each reader is tried only where a token is one of
#: these or starts with a digit, which keeps a parse fast (a regular expression tried at every
#: character of 1,000 costs several times more).
START_WORDS = frozenset({*_WORDS, *_TENS, "a", "an", "half", "quarter", "several", "few", "many",
                         "some", "pregnant", "first", "second", "third", "1st", "2nd", "3rd",
                         "years", "year", "yrs", "yr", "months", "month", "weeks", "week", "wks",
                         "wk", "days", "day", "in", "last", "i'm", "im", "i", "aged", "age",
                         "he's", "she's", "hes", "shes", "he", "she", "is", "female", "male",
                         "woman", "man", "(", ",", ".", "?", "!", "fourty"})


def _scan(pattern: re.Pattern[str], text: str, starts: Sequence[int]) -> Iterator[re.Match[str]]:
    """``pattern``'s matches that begin at one of ``starts``, not overlapping, in order."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(text, start)
        if match:
            end = max(match.end(), start + 1)
            yield match


@dataclass(frozen=True, slots=True)
class Hit:
    """A number read from the text: ``field`` and ``value``, or an ``unmapped`` phrase
    (``field`` empty), or a past time (``field`` ``"ago"``, value whether it is long past)."""

    field: str
    value: Value
    start: int
    end: int


def number(word: str) -> float:
    """The value of digits or number words ("seventy-two", "sixty eight", "twice")."""
    word = word.lower().strip()
    if word in _WORDS:
        return float(_WORDS[word])
    try:
        return float(word)
    except ValueError:
        tens, _, unit = word.replace("-", " ").partition(" ")
        return float(_WORDS[tens] + _WORDS[unit])


def _mid(match: re.Match[str]) -> float:
    low = number(match.group("a"))
    return (low + number(match.group("b"))) / 2 if match.group("b") else low


def durations(text: str, starts: Sequence[int]) -> Iterator[Hit]:
    """The length of a cramp in minutes; over the contract's 240, or vague, it is unmapped."""
    fixed = {"half an hour": 30.0, "half hour": 30.0, "quarter of an hour": 15.0,
             "an hour and a half": 90.0, "a minute or two": 1.5, "a couple of minutes": 2.0,
             "a couple minutes": 2.0, "a minute": 1.0, "an hour": 60.0}
    for match in _scan(_DURATION, text, starts):
        if match.group("after") and match.group("after").strip().lower() != "straight":
            continue
        phrase = (match.group("phrase") or "").lower()
        if phrase and phrase not in fixed:
            yield Hit("", "", match.start(), match.end("phrase"))
            continue
        minutes = fixed[phrase] if phrase else _mid(match) * _MINUTES[
            match.group("unit")[0].lower()]
        low, high = NUMBER_FIELDS["duration_minutes"]
        end = match.end("phrase") if phrase else match.end("unit")
        if minutes > high:
            yield Hit("", "", match.start(), end)
        elif minutes > low:
            yield Hit("duration_minutes", int(minutes) if minutes.is_integer() else minutes,
                      match.start(), end)


def ages(text: str, starts: Sequence[int]) -> Iterator[Hit]:
    """The person's age in whole years (babies' months give 0), and a sex written beside it
    ("66M", "27F")."""
    for match in _scan(_MONTHS_OLD, text, starts):
        yield Hit("age", 0, match.start(), match.end())
    for match in _scan(_AGE, text, starts):
        group = next(name for name in ("a1", "a2", "a3", "a4", "a5", "a6") if match.group(name))
        years = number(match.group(group))
        if years.is_integer() and 1 <= years <= NUMBER_FIELDS["age"][1]:
            yield Hit("age", int(years), match.start(group), match.end(group))
            if match.group("sex"):
                yield Hit("sex", "male" if match.group("sex").lower() == "m" else "female",
                          match.start("sex"), match.end("sex"))


def gestations(text: str, starts: Sequence[int]) -> Iterator[Hit]:
    """How far along a pregnancy is: ``pregnancy_trimester`` 1 (to 13 weeks, 3 months), 2 (to
    27 weeks, 6 months) or 3."""
    for match in _scan(_GESTATION, text, starts):
        if match.group("t"):
            trimester = _TRIMESTERS[match.group("t").lower()]
        elif match.group("m"):
            months = number(match.group("m"))
            trimester = 1 if months <= 3 else 2 if months <= 6 else 3
        else:
            weeks = number(match.group("w") or match.group("w2"))
            stated = match.group("w2") or match.group("lead") or match.group("preg")
            if not 4 <= weeks <= 42 or not (stated or match.group("stop") is not None
                                             and match.start() > 0
                                             and text[match.start() - 2] in ",."):
                continue
            trimester = 1 if weeks <= 13 else 2 if weeks <= 27 else 3
        yield Hit("pregnancy_trimester", trimester, match.start(), match.end())


def frequencies(text: str, starts: Sequence[int]) -> Iterator[Hit]:
    """How often, from a count per week, month or year."""
    for match in _scan(_FREQUENCY, text, starts):
        count = _mid(match)
        per = match.group("per").lower()[0]
        weekly = count if per == "w" else count / 4.3 if per == "m" else count / 52
        value = ("daily" if weekly >= 4.5 else "weekly" if weekly >= 0.9
                 else "monthly" if weekly >= 0.2 else "rare")
        yield Hit("frequency", value, match.start(), match.end())


def past_times(text: str, starts: Sequence[int]) -> Iterator[Hit]:
    """Phrases that date something, ``value`` how many weeks ago ("last year" is a year, "in
    the 90s" more): a value whose time window is shorter is historical (the parser decides)."""
    for match in _scan(_AGO, text, starts):
        unit = (match.group("unit") or match.group("unit2") or "y").lower()
        count = match.group("n")
        try:
            many = number(count) if count else 1.0
        except (KeyError, ValueError):
            many = 3.0  # "a few", "several", "many"
        yield Hit("ago", many * _WEEKS[unit[0]], match.start(), match.end())
