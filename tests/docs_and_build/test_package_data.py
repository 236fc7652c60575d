"""pyproject.toml's package data: the wheel, which the image installs, carries the pages' files.

The service runs from an editable install in development, where every file of the checkout is
there; the image installs the wheel, which holds only the package data pyproject.toml names.
"""

import fnmatch
import json
import re

from service.pages.intake import STATIC_DIR
from tests.support.gunicorn import REPO_ROOT


def test_every_file_of_the_intake_folder_goes_into_the_wheel():
    files = {path.name for path in STATIC_DIR.iterdir()}
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")  # no tomllib on 3.10
    package_data = re.search(r"^\[tool\.setuptools\.package-data\]\nservice = (\[.*\])$",
                             pyproject, re.M)
    patterns = json.loads(package_data.group(1))
    for name in files:
        assert any(fnmatch.fnmatch(f"pages/intake_static/{name}", each) for each in patterns), name
