"""``make gpu-bundle``: what travels to the offline GPU machine, built offline here from wheels made on the spot,
and the bundle that ``make gpu-bundle`` built, where it has run (it downloads its wheels from PyPI)."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging import tags
from packaging.utils import canonicalize_name, parse_wheel_filename

from d2l_utils.datasets import MNIST_MD5, md5_hex
from gpucheck import bundle, installed
from gpucheck.lock import PYTHON_312_LINUX, closure, parse_lock, read_lock

REPO = Path(__file__).resolve().parent.parent
BUILT = REPO / "dist" / "gpu-bundle"

LOCK_TEXT = """\
# a comment
alpha==1.0 \\
    --hash=sha256:{a} \\
    --hash=sha256:{b}
    # via -r requirements-pytorch.txt
beta-Pkg==2.0 ; sys_platform == 'linux' \\
    --hash=sha256:{a}
    # via
    #   alpha
    #   gamma
gamma==3.0 ; python_full_version < '3.12' \\
    --hash=sha256:{b}
    # via alpha
gamma==3.1 ; python_full_version >= '3.12' \\
    --hash=sha256:{b}
    # via alpha
""".format(a="a" * 64, b="b" * 64)


def test_parse_lock_reads_pins_markers_hashes_and_via():
    pins = parse_lock(LOCK_TEXT)
    assert [(p.name, p.version) for p in pins] == [("alpha", "1.0"), ("beta-pkg", "2.0"), ("gamma", "3.0"),
                                                  ("gamma", "3.1")]
    assert pins[0].hashes == ("sha256:" + "a" * 64, "sha256:" + "b" * 64) and pins[0].via == ()
    assert pins[1].marker == "sys_platform == 'linux'" and pins[1].via == ("alpha", "gamma")
    assert pins[1].requirement_line() == f"beta-pkg==2.0 \\\n    --hash=sha256:{'a' * 64}"


def test_read_lock_keeps_the_entries_of_the_target_python(tmp_path):
    lock = tmp_path / "x.lock"
    lock.write_text(LOCK_TEXT)
    assert read_lock(lock)["gamma"].version == "3.1"
    assert read_lock(lock, {**PYTHON_312_LINUX, "python_full_version": "3.11.7"})["gamma"].version == "3.0"
    assert "beta-pkg" not in read_lock(lock, {**PYTHON_312_LINUX, "sys_platform": "darwin"})
    assert closure(["alpha"], read_lock(lock)) == {"alpha", "beta-pkg", "gamma"}
    assert closure(["gamma"], read_lock(lock)) == {"gamma", "beta-pkg"}


def test_candidates_are_the_checks_packages_less_the_machines():
    names = {pin.name for pin in bundle.candidate_pins()}
    assert {"nbval", "ipykernel", "ipython", "jupyter-client", "nbformat", "pyzmq", "tornado"} <= names
    assert not names & {"torch", "numpy", "matplotlib", "pytest", "packaging", "pygments", "python-dateutil"}
    assert not names & {"jupyterlab", "notebook", "jupyterlab-rise"}, "the check needs no JupyterLab"
    pins = dict(line.split("==") for line in (REPO / "requirements-pytorch.txt").read_text().splitlines()
                if line.startswith(("nbval==", "ipython==")))
    versions = {pin.name: pin.version for pin in bundle.candidate_pins()}
    assert versions["nbval"] == pins["nbval"] and versions["ipython"] == pins["ipython"]
    assert all(pin.hashes for pin in bundle.candidate_pins())


def fake_wheel(folder: Path, name: str, version: str = "1.0", requires: tuple[str, ...] = ()) -> Path:
    """A wheel holding only its metadata: enough for what the bundle reads of it."""
    path = folder / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"{name.replace('-', '_')}-{version}.dist-info/METADATA", metadata)
    return path


def test_needed_wheels_follow_their_metadata_markers_and_extras(tmp_path):
    wheels = {
        "a": fake_wheel(tmp_path, "a", requires=("b>=1", "c[x]", "d; python_version < '3.12'", "numpy")),
        "b": fake_wheel(tmp_path, "b"),
        "c": fake_wheel(tmp_path, "c", requires=("e; extra == 'x'", "f; extra == 'y'")),
        "d": fake_wheel(tmp_path, "d"),
        "e": fake_wheel(tmp_path, "e"),
        "f": fake_wheel(tmp_path, "f"),
    }
    assert bundle.needed_wheels(["a"], wheels, {"numpy"}, PYTHON_312_LINUX) == {"a", "b", "c", "e"}
    with pytest.raises(LookupError, match="numpy is needed but neither bundled nor on the GPU machine"):
        bundle.needed_wheels(["a"], wheels, set(), PYTHON_312_LINUX)


# What the fake fetch's wheels require: nbval and ipykernel need three more, the rest nothing.
FAKE_REQUIRES = {"nbval": ("ipykernel", "jupyter-client", "pytest>=7"), "ipykernel": ("pyzmq", "tornado")}


def fake_fetch(pins, folder: Path) -> None:
    for pin in pins:
        fake_wheel(folder, pin.name, pin.version, FAKE_REQUIRES.get(pin.name, ()))


def built_offline(tmp_path: Path, tiny_idx_dataset) -> Path:
    source, checksums, _ = tiny_idx_dataset
    out = tmp_path / "dist" / "gpu-bundle"
    bundle.build(out, source, fetch=fake_fetch, checksums=checksums)
    return out


def test_the_bundle_holds_the_needed_wheels_mnist_and_the_script(tmp_path, tiny_idx_dataset):
    out = built_offline(tmp_path, tiny_idx_dataset)
    wheels = sorted(p.name.split("-")[0] for p in (out / "wheels").iterdir())
    assert wheels == ["ipykernel", "jupyter_client", "nbval", "pyzmq", "tornado"]
    for line in (out / "requirements.txt").read_text().splitlines():
        requirement, digest = line.split(" --hash=sha256:")
        name, version = requirement.split("==")
        (wheel,) = (out / "wheels").glob(f"{name.replace('-', '_')}-{version}-*.whl")
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == digest
    source, checksums, _ = tiny_idx_dataset
    for name, md5 in checksums.items():
        assert md5_hex(gzip.decompress((out / "mnist" / f"{name}.gz").read_bytes())) == md5
    script = out / "run.sh"
    assert script.read_bytes() == (REPO / "gpucheck" / "run-bundle.sh").read_bytes() and script.stat().st_mode & 0o100


def test_sha256sums_cover_every_file_and_catch_a_damaged_one(tmp_path, tiny_idx_dataset):
    out = built_offline(tmp_path, tiny_idx_dataset)
    listed = {line.split("  ")[1] for line in (out / "SHA256SUMS").read_text().splitlines()}
    assert listed == {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"}
    subprocess.run(["sha256sum", "--quiet", "--strict", "-c", "SHA256SUMS"], cwd=out, check=True)
    wheel = next((out / "wheels").iterdir())
    wheel.write_bytes(wheel.read_bytes() + b"x")
    damaged = subprocess.run(["sha256sum", "--quiet", "--strict", "-c", "SHA256SUMS"], cwd=out, capture_output=True)
    assert damaged.returncode != 0 and wheel.name.encode() in damaged.stdout


def test_the_tarball_holds_the_bundle_and_is_the_same_every_time(tmp_path, tiny_idx_dataset):
    out = built_offline(tmp_path, tiny_idx_dataset)
    tarball = out.with_name("gpu-bundle.tar.gz")
    first = tarball.read_bytes()
    with tarfile.open(tarball) as tar:
        members = {m.name for m in tar.getmembers() if m.isfile()}
    assert members == {f"gpu-bundle/{p.relative_to(out)}" for p in out.rglob("*") if p.is_file()}
    built_offline(tmp_path, tiny_idx_dataset)  # again, over the first
    assert tarball.read_bytes() == first


def test_an_interrupted_build_leaves_the_last_bundle_whole(tmp_path, tiny_idx_dataset):
    out = built_offline(tmp_path, tiny_idx_dataset)
    before = (out / "SHA256SUMS").read_text()

    def broken_fetch(pins, folder):
        fake_fetch(pins[:3], folder)
        raise ConnectionError("PyPI went away")

    with pytest.raises(ConnectionError):
        bundle.build(out, tiny_idx_dataset[0], fetch=broken_fetch, checksums=tiny_idx_dataset[1])
    assert (out / "SHA256SUMS").read_text() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["gpu-bundle", "gpu-bundle.tar.gz"]


def test_what_travels_must_fit(tmp_path, tiny_idx_dataset):
    out = built_offline(tmp_path, tiny_idx_dataset)
    assert bundle.check_travel_size(out).endswith("of 64 MiB")
    tree = bundle.tracked_bytes()
    assert tree > 1_000_000, "the tracked working tree (notebooks, locks) travels too"
    with pytest.raises(ValueError, match=r"working tree \d+\.\d MiB exceeds the \d+ MiB that may travel"):
        bundle.check_travel_size(out, limit=tree)  # the tree alone fills it: the bundle's bytes tip it over


def test_installed_names_what_is_missing_or_at_another_version():
    from importlib import metadata

    assert installed.problems({"nbval": metadata.version("nbval")}) == []
    assert installed.problems({"nbval": "0.0.1"}) == [f"nbval is {metadata.version('nbval')}, the bundle pins 0.0.1"]
    assert installed.problems({"no-such-package": "1.0"}) == ["no-such-package==1.0 is not installed"]


def target_tags() -> set[tags.Tag]:
    """Every wheel tag that CPython 3.12 on Linux x86-64 (glibc 2.28) installs."""
    platforms = [f"manylinux_2_{n}_x86_64" for n in range(5, 29)] + ["manylinux2014_x86_64", "manylinux2010_x86_64",
                                                                       "manylinux1_x86_64"]
    return set(tags.cpython_tags((3, 12), abis=["cp312"], platforms=platforms)) | set(
        tags.compatible_tags((3, 12), interpreter="cp312", platforms=platforms)
    )


@pytest.fixture(scope="module")
def built():
    if not (BUILT / "SHA256SUMS").exists():
        pytest.skip("make gpu-bundle has not run here (it downloads the wheels from PyPI)")
    return BUILT


@pytest.mark.ci_may_skip
def test_the_built_bundle_is_whole_and_fits(built):
    subprocess.run(["sha256sum", "--quiet", "--strict", "-c", "SHA256SUMS"], cwd=built, check=True)
    print(bundle.check_travel_size(built))
    assert (built / "run.sh").read_bytes() == (REPO / "gpucheck" / "run-bundle.sh").read_bytes(), "make gpu-bundle"


@pytest.mark.ci_may_skip
def test_the_built_bundle_holds_exactly_what_the_check_needs_for_python_312(built):
    wheels = {bundle.wheel_project(p): p for p in (built / "wheels").glob("*.whl")}
    lock = read_lock(bundle.LOCK)
    provided = closure(bundle.MACHINE_ROOTS, lock)
    assert bundle.needed_wheels(bundle.CHECK_ROOTS, wheels, provided, PYTHON_312_LINUX) == set(wheels)
    assert not set(wheels) & provided and {"nbval", "ipykernel", "pyzmq"} <= set(wheels)
    supported = target_tags()
    for name, path in wheels.items():
        _, version, _, wheel_tags = parse_wheel_filename(path.name)
        assert wheel_tags & supported, f"{path.name} does not install on CPython 3.12, Linux x86-64"
        digest = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        assert str(version) == lock[name].version and digest in lock[name].hashes, f"{path.name} is not the lock's"
    listed = {canonicalize_name(line.split("==")[0]) for line in (built / "requirements.txt").read_text().splitlines()}
    assert listed == set(wheels)


@pytest.mark.ci_may_skip
def test_the_built_bundles_mnist_is_the_verified_one(built):
    for name, md5 in MNIST_MD5.items():
        assert md5_hex(gzip.decompress((built / "mnist" / f"{name}.gz").read_bytes())) == md5
