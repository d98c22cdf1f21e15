"""The engine examples of the README run as written."""

import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_readme_engine_examples_run():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The engine") :]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "no python example in the README engine section"
    namespace = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102
    # The figures the README states in its comments.
    plan = namespace["sampling"].single_plan(1000, 1.0, level="II")
    assert (plan.code_letter, plan.sample_size, plan.accept, plan.reject) == ("J", 80, 2, 3)
    assert round(namespace["metrology"].iso286(20, "h7").lower_limit, 3) == 19.979
