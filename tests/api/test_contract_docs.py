"""The contract has one source, service/contract/vocabulary.py: the parts of openapi.yaml and
docs/api.md that state its values are generated from it (tools/contract_docs.py,
``make contract-docs``), and writing them leaves every other byte of those files as it was.
"""

import pytest

from tools import contract_docs
from tools.yaml_splice import replace_between, replace_values

#: Hand-written YAML as openapi.yaml has it: comments, flow lists, odd spacing, quotes.
HAND_WRITTEN = """\
# stays
a:
  keep: [x,   y]   # stays too
  generated:
    old: [1, 2]
    older: |
      text

  # a comment after the generated value stays
  after: 'quoted'
"""


def test_the_generated_parts_of_the_repository_are_what_the_vocabulary_says():
    assert contract_docs.stale() == {}, "run make contract-docs"


def test_a_generated_value_replaces_its_own_lines_and_leaves_every_other_byte():
    written = replace_values(HAND_WRITTEN, {("a", "generated"): {"new": ["v", "w: x"]}})
    assert written == HAND_WRITTEN.replace(
        "    old: [1, 2]\n    older: |\n      text\n", "    new:\n      - v\n      - 'w: x'\n")


def test_a_value_that_is_not_a_block_of_its_own_lines_or_not_there_is_refused():
    with pytest.raises(ValueError, match="not a block"):
        replace_values(HAND_WRITTEN, {("a", "keep"): ["z"]})
    with pytest.raises(ValueError, match="no key 'missing'"):
        replace_values(HAND_WRITTEN, {("a", "missing", "b"): 1})
    with pytest.raises(ValueError, match="markers"):
        replace_between("<!-- start -->\ntext\n", "<!-- start -->", "<!-- end -->", "new\n")
