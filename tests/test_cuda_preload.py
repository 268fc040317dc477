"""Finding and preloading the CUDA libraries of MXNet's CUDA build, against fake site-packages trees.

The fake libraries are tiny real shared objects with the real sonames and the real links
between them (libcublas.so.11 needs libcublasLt.so.11, ...) but no RPATH, so the dynamic
loader finds a dependency only if it is already loaded: just like the pip wheels, whose
libmxnet.so looks next to itself only. Real loading happens in fresh Python processes.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from d2l_utils import cuda
from d2l_utils.cuda import (
    CUDA_BUILD,
    CUDA_LIBRARIES,
    DRIVER,
    CudaLibraryError,
    cuda_build_installed,
    find_library,
    preload_cuda_libraries,
    write_startup_hook,
)
from tests.test_gpu_probe import build_fake_driver, compile_shared_library, needs_c_compiler

CUDA_MODULE = Path(cuda.__file__)
# The links between the CUDA libraries, as `readelf -d` shows them in the pinned wheels.
NEEDED = {
    "libcublas.so.11": ["libcublasLt.so.11"],
    "libcusolver.so.11": ["libcublas.so.11", "libcublasLt.so.11"],
}
PIP_LIBRARIES = [library for library in CUDA_LIBRARIES if library.package]


@pytest.fixture(scope="session")
def fake_cuda(tmp_path_factory) -> dict[str, Path]:
    """A site-packages tree with every nvidia/*/lib/*.so, a fake driver, and a fake libmxnet.so needing them all."""
    root = tmp_path_factory.mktemp("fake-cuda")
    source = root / "fake.c"
    source.write_text("int fake_library(void) { return 0; }\n")
    driver = build_fake_driver(root / "driver")
    site, paths = root / "site-packages", {DRIVER.soname: driver}
    for library in PIP_LIBRARIES:
        needed = [paths[name] for name in NEEDED.get(library.soname, [])]
        path = site / library.directory / library.soname
        paths[library.soname] = compile_shared_library(path, library.soname, source, needed)
    paths["libmxnet.so"] = compile_shared_library(root / "libmxnet.so", "libmxnet.so", source, list(paths.values()))
    paths["site"], paths["driver"] = site, driver.parent
    return paths


def run_python(code: str, fake_cuda: dict[str, Path]) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python that has d2l_utils/cuda.py alone loaded as ``cuda`` and finds the fake driver."""
    prelude = textwrap.dedent(f"""
        import ctypes, importlib.util, sys
        spec = importlib.util.spec_from_file_location("cuda", {str(CUDA_MODULE)!r})
        cuda = sys.modules["cuda"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cuda)
        SITE = {str(fake_cuda["site"])!r}
        LIBMXNET = {str(fake_cuda["libmxnet.so"])!r}
    """)
    env = {**os.environ, "LD_LIBRARY_PATH": str(fake_cuda["driver"])}
    return subprocess.run(
        [sys.executable, "-S", "-c", prelude + textwrap.dedent(code)],
        capture_output=True, text=True, env=env, cwd=fake_cuda["site"].parent,
    )


def test_every_library_comes_after_those_it_links_to():
    order = [library.soname for library in CUDA_LIBRARIES]
    assert order[0] == "libcuda.so.1"
    for soname, dependencies in NEEDED.items():
        assert all(order.index(dependency) < order.index(soname) for dependency in dependencies)


@needs_c_compiler
def test_find_library_searches_each_site_directory_in_order(fake_cuda, tmp_path):
    cudnn = next(library for library in CUDA_LIBRARIES if library.soname == "libcudnn.so.8")
    search_path = [str(tmp_path), str(fake_cuda["site"])]
    assert find_library(cudnn, search_path) == fake_cuda["libcudnn.so.8"]
    shadow = tmp_path / cudnn.directory / cudnn.soname
    shadow.parent.mkdir(parents=True)
    shadow.write_bytes(b"")
    assert find_library(cudnn, search_path) == shadow
    assert find_library(cudnn, [str(tmp_path / "elsewhere")]) is None
    assert find_library(DRIVER, search_path) is None  # the driver is never looked for in site-packages


@needs_c_compiler
def test_preload_loads_the_driver_by_soname_then_each_pip_library_by_path_in_order(fake_cuda, monkeypatch):
    loads = []
    monkeypatch.setattr(cuda.ctypes, "CDLL", lambda name, mode: loads.append((name, mode)))
    loaded = preload_cuda_libraries([str(fake_cuda["site"])])
    expected = ["libcuda.so.1", *(str(fake_cuda[library.soname]) for library in PIP_LIBRARIES)]
    assert loaded == expected
    assert loads == [(name, ctypes.RTLD_GLOBAL) for name in expected]


@needs_c_compiler
def test_preloaded_libraries_let_a_libmxnet_without_rpath_load(fake_cuda):
    result = run_python("""
        cuda.preload_cuda_libraries([SITE])
        ctypes.CDLL(LIBMXNET)
        print("loaded")
    """, fake_cuda)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "loaded\n"


@needs_c_compiler
def test_without_preload_or_in_the_wrong_order_loading_fails(fake_cuda):
    result = run_python("ctypes.CDLL(LIBMXNET)", fake_cuda)
    assert "cannot open shared object file" in result.stderr
    cublas = [library for library in CUDA_LIBRARIES if library.soname.startswith("libcublas")]
    result = run_python(f"""
        for soname in {[library.soname for library in reversed(cublas)]!r}:
            ctypes.CDLL(f"{{SITE}}/nvidia/cublas/lib/{{soname}}", ctypes.RTLD_GLOBAL)
    """, fake_cuda)
    assert "libcublasLt.so.11: cannot open shared object file" in result.stderr


def test_missing_libraries_are_named_with_the_pip_package_that_provides_them(tmp_path):
    def load(name):
        if "/" not in name and name != "libcuda.so.1":
            raise OSError(f"{name}: cannot open shared object file")

    site = tmp_path / "site-packages"
    for library in PIP_LIBRARIES:
        if library.package not in ("nvidia-cudnn-cu11", "nvidia-nccl-cu11"):
            (site / library.directory).mkdir(parents=True, exist_ok=True)
            (site / library.directory / library.soname).write_bytes(b"")
    with pytest.raises(CudaLibraryError) as error:
        preload_cuda_libraries([str(site)], load=load)
    message = str(error.value)
    assert f"MXNet's CUDA build ({CUDA_BUILD}) is installed, but cannot load these libraries:" in message
    assert "libcudnn.so.8 (pip package nvidia-cudnn-cu11): not installed" in message
    assert "libnccl.so.2 (pip package nvidia-nccl-cu11): not installed" in message
    assert "libcudart" not in message
    assert message.endswith("To fix it, run `make install-gpu`, or use the CPU build: `make install`.")
    assert [library.soname for library in error.value.libraries] == ["libcudnn.so.8", "libnccl.so.2"]
    assert isinstance(error.value, ImportError)


def test_a_missing_driver_says_to_use_the_cpu_build(tmp_path):
    def load(name):
        if name == "libcuda.so.1":
            raise OSError("libcuda.so.1: cannot open shared object file: No such file or directory")

    with pytest.raises(CudaLibraryError) as error:
        preload_cuda_libraries([str(tmp_path)], load=load)
    message = str(error.value)
    assert "libcuda.so.1 (NVIDIA driver): not installed" in message
    assert "libcudart.so.11.0 (pip package nvidia-cuda-runtime-cu11): not installed" not in message  # loaded by soname
    assert message.endswith("To fix it, this machine has no NVIDIA driver: use the CPU build, `make install`.")


@needs_c_compiler
def test_a_library_that_fails_to_load_reports_why(fake_cuda, tmp_path):
    broken = tmp_path / "nvidia/nccl/lib/libnccl.so.2"
    broken.parent.mkdir(parents=True)
    broken.write_text("not a shared object\n" * 100)
    result = run_python(f"cuda.preload_cuda_libraries([{str(tmp_path)!r}, SITE])", fake_cuda)
    assert f"libnccl.so.2 (pip package nvidia-nccl-cu11): {broken}: invalid ELF header" in result.stderr


def test_the_cuda_build_is_detected_from_package_metadata(tmp_path, monkeypatch):
    assert not cuda_build_installed()  # the course environment has MXNet's CPU build
    dist_info = tmp_path / "mxnet_cu117-1.9.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: mxnet-cu117\nVersion: 1.9.1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cuda_build_installed()


def test_preload_for_cuda_build_does_nothing_with_the_cpu_build(monkeypatch):
    monkeypatch.setattr(cuda, "preload_cuda_libraries", lambda: pytest.fail("preloaded for the CPU build"))
    cuda.preload_for_cuda_build()


@needs_c_compiler
def test_startup_hook_preloads_before_any_import_of_mxnet(fake_cuda, tmp_path):
    site = tmp_path / "site-packages"
    (site / "mxnet").mkdir(parents=True)
    (site / "mxnet" / "__init__.py").write_text(f"import ctypes\nctypes.CDLL({str(fake_cuda['libmxnet.so'])!r})\n")
    dist_info = site / "mxnet_cu117-1.9.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: mxnet-cu117\nVersion: 1.9.1\n")
    for library in PIP_LIBRARIES:
        (site / library.directory).mkdir(parents=True, exist_ok=True)
        (site / library.directory / library.soname).symlink_to(fake_cuda[library.soname])
    code = f"import site; site.addsitedir({str(site)!r}); import mxnet; print('imported')"

    without_hook = run_python(code, fake_cuda)
    assert "cannot open shared object file" in without_hook.stderr

    hook = write_startup_hook(str(site))
    assert hook.name == "d2l_utils_cuda.pth" and hook.read_text().startswith("import ")
    with_hook = run_python(code, fake_cuda)
    assert with_hook.returncode == 0, with_hook.stderr
    assert with_hook.stdout == "imported\n"
