"""The examples of docs/engine_metrology.md run as written."""

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "engine_metrology.md"
BLOCKS = (
    re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    if DOC.exists()
    else []
)


@pytest.mark.skipif(not BLOCKS, reason="docs/engine_metrology.md not present")
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_doc_example_runs(index, capsys):
    exec(compile(BLOCKS[index], f"engine_metrology.md[{index}]", "exec"), {})
    assert capsys.readouterr().out.strip()
