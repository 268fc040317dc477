"""The class configurations (hub/) agree with each other and use only what their tools document.

Kubernetes cannot run here, so the Zero to JupyterHub values file is checked for its structure:
every key is one of the chart's documented settings, and its limits and culling are the ones that
hub/jupyterhub_config.py gives DockerSpawner. JupyterHub's version is one across the hub's lock
and the image's, and the image's lock keeps the course's versions.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
HUB = REPO / "hub"
VALUES = yaml.safe_load((HUB / "z2jh-values.yaml").read_text())

# Settings of the jupyterhub Helm chart (Zero to JupyterHub's configuration reference) that the
# course may use. Values under a list (extraVolumes, extraVolumeMounts) are Kubernetes objects.
DOCUMENTED_KEYS = {
    "singleuser.image.name", "singleuser.image.tag", "singleuser.image.pullPolicy",
    "singleuser.uid", "singleuser.fsGid", "singleuser.cmd", "singleuser.defaultUrl", "singleuser.startTimeout",
    "singleuser.memory.limit", "singleuser.memory.guarantee", "singleuser.cpu.limit", "singleuser.cpu.guarantee",
    "singleuser.storage.type", "singleuser.storage.capacity", "singleuser.storage.homeMountPath",
    "singleuser.storage.extraVolumes", "singleuser.storage.extraVolumeMounts",
    "cull.enabled", "cull.timeout", "cull.every", "cull.users", "cull.maxAge",
    "prePuller.hook.enabled", "prePuller.continuous.enabled",
    "hub.config",
}
# hub.config passes JupyterHub's own traitlets through: class names, then their settings.
HUB_CONFIG = {"JupyterHub": {"authenticator_class"}, "DummyAuthenticator": {"password"},
              "Authenticator": {"allow_all", "admin_users", "allowed_users"}}


def leaf_paths(tree: dict, prefix: str = "") -> list[str]:
    """Dotted paths of every setting in ``tree``; a list or hub.config is one setting."""
    paths = []
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path != "hub.config":
            paths += leaf_paths(value, path + ".")
        else:
            paths.append(path)
    return paths


def config_constants() -> dict[str, object]:
    """The UPPER_CASE literal constants of hub/jupyterhub_config.py (read, not run: it needs .venv-hub)."""
    tree = ast.parse((HUB / "jupyterhub_config.py").read_text())
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.isupper():
                try:
                    constants[name] = ast.literal_eval(node.value)
                except ValueError:
                    if "os.environ.get" in ast.unparse(node.value):
                        constants[name] = env_default(node.value)
    return constants


def env_default(node: ast.expr) -> object:
    """The default of ``int(os.environ.get(NAME, "DEFAULT"))`` or ``os.environ.get(NAME, "DEFAULT")``."""
    call = node.args[0] if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "int" else node
    default = ast.literal_eval(call.args[1])
    return int(default) if call is not node else default


def pins(path: Path) -> dict[str, str]:
    """package -> version of every ``name==version`` line of a requirements or lock file."""
    found = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", path.read_text(), flags=re.M)
    return {name.lower().replace("_", "-"): version for name, version in found}


def test_values_use_only_documented_chart_settings() -> None:
    assert sorted(set(leaf_paths(VALUES)) - DOCUMENTED_KEYS) == []
    for cls, settings in VALUES["hub"]["config"].items():
        assert cls in HUB_CONFIG and set(settings) <= HUB_CONFIG[cls], (cls, settings)


def test_the_leaf_path_check_catches_an_undocumented_key() -> None:
    misspelt = {"singleuser": {"memory": {"limits": "1G"}}}
    assert set(leaf_paths(misspelt)) - DOCUMENTED_KEYS == {"singleuser.memory.limits"}


def test_values_limits_and_culling_equal_the_docker_configuration() -> None:
    hub = config_constants()
    single = VALUES["singleuser"]
    assert str(single["memory"]["limit"]) == hub["MEM_LIMIT"]
    assert str(single["memory"]["guarantee"]) == hub["MEM_GUARANTEE"]
    assert float(single["cpu"]["limit"]) == hub["CPU_LIMIT"]
    assert float(single["cpu"]["guarantee"]) == hub["CPU_GUARANTEE"]
    assert VALUES["cull"] == {"enabled": True, "timeout": hub["CULL_TIMEOUT"], "every": hub["CULL_EVERY"]}
    assert hub["ACTIVITY_INTERVAL"] < hub["CULL_TIMEOUT"]


def test_both_run_the_image_as_its_learner_with_the_lessons_copied_home() -> None:
    hub_source = (HUB / "jupyterhub_config.py").read_text()
    single = VALUES["singleuser"]
    assert single["cmd"] == "/course/hub/learner-start.sh" and f'["{single["cmd"]}"]' in hub_source
    assert single["storage"]["homeMountPath"] == config_constants()["HOME"] == "/home/learner"
    mount = single["storage"]["extraVolumeMounts"][0]
    assert mount["mountPath"] == config_constants()["DATA_DIR"] and mount["readOnly"] is True
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "--uid 1000 --shell /bin/bash learner" in dockerfile and single["uid"] == 1000


def test_everything_listens_on_loopback_only() -> None:
    source = (HUB / "jupyterhub_config.py").read_text()
    urls = re.findall(r'f?"(http://[^"]+)"', source)
    assert len(urls) == 3 and all(url.startswith("http://127.0.0.1:") for url in urls), urls
    assert 'c.DockerSpawner.ip = "127.0.0.1"' in source
    assert 'c.DockerSpawner.network_name = "host"' in source


def test_jupyterhub_is_one_version_in_the_hub_and_the_image() -> None:
    hub, image = pins(REPO / "requirements-hub.txt"), pins(HUB / "requirements-singleuser.txt")
    assert hub["jupyterhub"] == image["jupyterhub"]
    assert pins(REPO / "requirements-hub.lock")["jupyterhub"] == hub["jupyterhub"]
    assert pins(HUB / "requirements-singleuser.lock")["jupyterhub"] == hub["jupyterhub"]


def test_the_image_lock_keeps_every_course_version() -> None:
    course, image = pins(REPO / "requirements.lock"), pins(HUB / "requirements-singleuser.lock")
    assert {name: image.get(name) for name in course} == course


def test_every_hub_package_is_hash_locked() -> None:
    for lock in (REPO / "requirements-hub.lock", HUB / "requirements-singleuser.lock"):
        entries = re.split(r"\n(?=[a-z0-9])", lock.read_text().strip())
        unhashed = [e.split()[0] for e in entries if not e.startswith("#") and "--hash=sha256:" not in e]
        assert unhashed == [], lock


def test_the_start_script_copies_the_lessons_once_and_redoes_a_cut_copy(tmp_path: Path) -> None:
    script = "learner-start.sh"
    course = tmp_path / "course" / "notebooks"
    course.mkdir(parents=True)
    (course / "01-ndarray.ipynb").write_text("{}")
    home = tmp_path / "home"
    (home / "lessons.partial").mkdir(parents=True)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "jupyterhub-singleuser").write_text('#!/bin/sh\necho "started in $(pwd) with $*"\n')
    (fake / "jupyterhub-singleuser").chmod(0o755)
    text = (HUB / script).read_text().replace("/course/notebooks", str(course))
    (tmp_path / script).write_text(text)
    env = {"HOME": str(home), "PATH": f"{fake}:/usr/bin:/bin"}
    first = subprocess.run(["sh", str(tmp_path / script), "--debug"], env=env, capture_output=True, text=True)
    assert first.stdout.strip() == f"started in {home} with --debug", first.stderr
    assert sorted(p.name for p in home.iterdir()) == ["lessons"]
    (home / "lessons" / "01-ndarray.ipynb").write_text("my work")
    subprocess.run(["sh", str(tmp_path / script)], env=env, check=True, capture_output=True)
    assert (home / "lessons" / "01-ndarray.ipynb").read_text() == "my work"


# README "Teach a class": the measured figures, the limits derived from them, and the capacity
# table derived from the limits. What is reserved for the system, hub and proxy on each VM, and
# how quickly a whole class must finish lesson 06's training when everyone runs it at once.
RESERVED_GIB, RESERVED_CORES, ALL_AT_ONCE_S = 2, 0.5, 300


def teach_a_class_rows() -> dict[str, list[str]]:
    """Every table row of README's "Teach a class" section, by its first cell."""
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Teach a class\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip().strip("`*") for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and not set(cells[0]) <= set(":-"):
            rows[cells[0]] = cells[1:]
    return rows


def mebibytes(size: str) -> float:
    """``"768M"``, ``"1G"`` or ``"790 MiB"`` in MiB (the engines' and KubeSpawner's powers of 1024)."""
    number, unit = re.fullmatch(r"([\d.]+)\s*(M|G|MiB|GiB)", size).groups()
    return float(number) * (1024 if unit.startswith("G") else 1)


def number(cell: str) -> float:
    """The number at the start of a table cell ("8.9 s" -> 8.9)."""
    return float(re.match(r"[\d.]+", cell).group())


def test_readme_limits_are_the_configured_ones_and_cover_the_measurements() -> None:
    rows, hub = teach_a_class_rows(), config_constants()
    assert rows["memory guarantee"][0] == hub["MEM_GUARANTEE"]
    assert rows["memory limit"][0] == hub["MEM_LIMIT"]
    assert number(rows["CPU guarantee"][0]) == hub["CPU_GUARANTEE"]
    assert number(rows["CPU limit"][0]) == hub["CPU_LIMIT"]
    # Measured maxima (last column): everyone training at once fits in the guarantees.
    assert mebibytes(hub["MEM_GUARANTEE"]) >= mebibytes(rows["memory peak, lesson 06 training, resident"][-1])
    assert mebibytes(hub["MEM_LIMIT"]) >= mebibytes(rows["memory peak, lesson 06 training, with page cache"][-1])
    assert hub["CPU_GUARANTEE"] >= number(rows["CPU-seconds, lesson 06"][-1]) / ALL_AT_ONCE_S


def test_readme_capacity_table_follows_from_the_limits() -> None:
    rows, hub = teach_a_class_rows(), config_constants()
    sizes = [(first, *cells) for first, cells in rows.items() if first.isdigit() and len(cells) == 4]
    assert len(sizes) >= 3, "README's capacity table is missing"
    for cores, memory, by_memory, by_cpu, learners in sizes:
        want_memory = int((number(memory) - RESERVED_GIB) * 1024 // mebibytes(hub["MEM_GUARANTEE"]))
        want_cpu = int((int(cores) - RESERVED_CORES) / hub["CPU_GUARANTEE"] + 1e-9)
        assert (int(by_memory), int(by_cpu), int(learners)) == (want_memory, want_cpu, min(want_memory, want_cpu))
