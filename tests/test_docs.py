"""The README tells the truth: every setting is documented, and the two commands are the first ones."""
from __future__ import annotations

import re
from pathlib import Path

from kg.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme():
    missing = [f"R2P_{name.upper()}" for name in Settings.model_fields if f"`R2P_{name.upper()}`" not in README]
    assert missing == []


def test_readme_opens_with_the_run_and_test_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci
