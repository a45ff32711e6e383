"""The README's configuration table names every variable the settings read from the environment
(issues 16 and 21 added theirs to the settings and not all to the table)."""

import re

from django.conf import settings

ROOT = settings.BASE_DIR
# What a deployment sets: the shared settings and production's. Development and test settings
# read a few variables of their own that no deployment sets.
SETTINGS = ["meldpunt/settings/base.py", "meldpunt/settings/production.py"]


def test_every_environment_variable_of_the_settings_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    read = set()
    for path in SETTINGS:
        read |= set(re.findall(r'env\("([A-Z0-9_]+)"', (ROOT / path).read_text(encoding="utf-8")))
    assert len(read) > 30
    assert sorted(name for name in read if f"`{name}`" not in table) == []
