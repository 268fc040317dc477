import sys

import pytest

from d2l_utils.datasets import DATA_DIR_VARIABLE
from d2l_utils.envcheck import (
    Check,
    check_environment,
    check_mnist,
    check_package,
    check_python,
    pinned_versions,
    report,
)


def test_pinned_versions_reads_requirements(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# comment\nMXNet==1.9.1  # trailing\npytest\nnumpy==1.23.5\n")
    assert pinned_versions(requirements) == {"mxnet": "1.9.1", "numpy": "1.23.5"}


def test_check_package_reports_version_mismatch_with_fix():
    check = check_package("pytest", "0.0.1")
    assert not check.ok
    assert str(check).startswith("FAIL  pytest: ")
    assert str(check).endswith("->  expected 0.0.1: `make install`")


def test_check_package_reports_missing_package():
    assert str(check_package("no-such-course-package", "1.0")) == (
        "FAIL  no-such-course-package: not installed  ->  `make install`"
    )


def test_check_mnist_names_make_data_when_files_are_absent(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    check = check_mnist()
    assert not check.ok and "missing train-images-idx3-ubyte" in check.found
    assert str(check).endswith("->  run `make data` to fetch it")


def test_check_mnist_of_the_pytorch_track_names_its_own_make_data(tmp_path, monkeypatch):
    # plain `make data` would install the MXNet track's environment (Python 3.11 only) first
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    assert str(check_mnist("pytorch")).endswith("->  run `make data TRACK=pytorch` to fetch it")
    mnist = check_environment("pytorch")[-1]
    assert mnist.name == "MNIST data" and mnist.fix == "run `make data TRACK=pytorch` to fetch it"


def test_course_environment_passes_every_check(mnist_dir):
    checks = check_environment()
    assert all(c.ok for c in checks), report(checks)
    assert report(checks).endswith("All requirements met.")
    assert sys.version_info[:2] == (3, 11)


def test_report_verdict_counts_failures():
    checks = [Check("a", True, "1"), Check("b", False, "2", "fix b")]
    assert report(checks).splitlines() == [
        "OK    a: 1",
        "FAIL  b: 2  ->  fix b",
        "1 requirement(s) FAIL: apply the fixes above.",
    ]


def test_check_package_counts_mxnets_cuda_build_as_mxnet(monkeypatch):
    from d2l_utils import envcheck

    def version(name):
        if name != "mxnet-cu117":
            raise envcheck.metadata.PackageNotFoundError(name)
        return "1.9.1"

    monkeypatch.setattr(envcheck.metadata, "version", version)
    assert str(check_package("mxnet", "1.9.1")) == "OK    mxnet: 1.9.1"


@pytest.mark.parametrize(("found", "ok"), [("1.23.5", True), ("1.24.0", False), ("1.23.4", False), ("2.0.0", False)])
def test_check_package_accepts_only_the_pinned_numpy(monkeypatch, found, ok):
    """numpy 1.24 removed numpy.bool, which MXNet 1.9.1 uses: only the pin passes."""
    from d2l_utils import envcheck

    monkeypatch.setattr(envcheck.metadata, "version", lambda name: found)
    check = check_package("numpy", "1.23.5")
    assert (check.ok, check.found) == (ok, found)


@pytest.mark.parametrize(("version", "ok"), [((3, 11, 9), True), ((3, 12, 0), False), ((3, 10, 14), False)])
def test_check_python_accepts_only_python_3_11(monkeypatch, version, ok):
    from d2l_utils import envcheck

    monkeypatch.setattr(envcheck.sys, "version_info", version)
    check = check_python()
    assert (check.ok, check.found) == (ok, "{}.{}".format(*version[:2]))
    assert str(check).endswith("" if ok else "->  use Python 3.11: `make install`")


def test_check_environment_checks_each_course_package_against_its_pin(monkeypatch, mnist_dir):
    from d2l_utils import envcheck

    checks = check_environment()
    names = ["Python", "mxnet", "numpy", "d2l", "matplotlib", "jupyterlab", "jupyterlab-rise", "MNIST data"]
    assert [c.name for c in checks] == names
    real_version = envcheck.metadata.version
    monkeypatch.setattr(envcheck.metadata, "version", lambda n: "1.24.0" if n == "numpy" else real_version(n))
    text = report(check_environment())
    assert "FAIL  numpy: 1.24.0  ->  expected 1.23.5: `make install`" in text.splitlines()
    assert text.endswith("1 requirement(s) FAIL: apply the fixes above.")


def test_pinned_versions_keeps_the_lines_whose_marker_holds_here(tmp_path):
    requirements = tmp_path / "requirements-pytorch.txt"
    requirements.write_text(
        'torch==2.13.0+cpu ; sys_platform == "linux"\ntorch==2.13.0 ; sys_platform != "linux"\n'
        'numpy==2.3.5\nold==1.0 ; python_version < "3"\n'
    )
    expected_torch = "2.13.0+cpu" if sys.platform == "linux" else "2.13.0"
    assert pinned_versions(requirements) == {"torch": expected_torch, "numpy": "2.3.5"}


@pytest.mark.parametrize(
    ("version", "ok"),
    [((3, 11, 9), True), ((3, 12, 0), True), ((3, 13, 1), True), ((3, 14, 0), False), ((3, 10, 1), False)],
)
def test_check_python_of_the_pytorch_track_takes_3_11_to_3_13(monkeypatch, version, ok):
    from d2l_utils import envcheck

    monkeypatch.setattr(envcheck.sys, "version_info", version)
    check = check_python("pytorch")
    assert check.ok == ok
    assert str(check).endswith("" if ok else "->  use Python 3.11 to 3.13: `make install TRACK=pytorch`")


def test_the_pytorch_tracks_checks_name_its_packages_and_its_install(monkeypatch, mnist_dir):
    from d2l_utils import envcheck

    monkeypatch.setattr(envcheck.metadata, "version", lambda name: "0.0")
    checks = check_environment("pytorch")
    assert [c.name for c in checks] == ["Python", "torch", "numpy", "matplotlib", "jupyterlab", "jupyterlab-rise",
                                        "MNIST data"]  # fmt: skip
    numpy = next(c for c in checks if c.name == "numpy")
    assert str(numpy) == "FAIL  numpy: 0.0  ->  expected 2.3.5: `make install TRACK=pytorch`"
