"""The README's Python sweep runs as written (with fewer draws), so the
tour a researcher copies does not rot."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_sweep_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    sweep = [b for b in blocks if "LocalCluster" in b]
    assert len(sweep) == 1, "the README has one Dask sweep example"
    code = sweep[0].replace("draws=1000", "draws=40")
    code = code.replace('"prevention_sweep.h5"', repr(str(tmp_path / "sweep.h5")))
    script = tmp_path / "tour.py"
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "sweep.h5").stat().st_size > 0
