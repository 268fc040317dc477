"""Load the CUDA libraries of MXNet's CUDA build before MXNet itself, so that learners never set LD_LIBRARY_PATH.

``mxnet-cu117`` ships ``libmxnet.so`` without the CUDA libraries it links to, and looks for
them next to itself only (its RPATH is ``$ORIGIN``). The GPU route installs them from PyPI
(requirements-gpu.txt) as ``nvidia/<name>/lib/<soname>`` in site-packages, where the
dynamic loader never looks. Loading each one by path first, in dependency order, lets
``libmxnet.so`` find them already in memory by soname.

Nothing happens unless the CUDA build is installed, and that is read from the installed
distributions without importing MXNet (which would fail before the preload). This module
uses the standard library alone: the startup hook (see :func:`startup_hook_line`) runs it
before the rest of ``d2l_utils`` can be imported.
"""

from __future__ import annotations

import ctypes
import importlib.abc
import importlib.machinery
import sys
import sysconfig
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

CUDA_BUILD = "mxnet-cu117"
GPU_INSTALL_HINT = "run `make install-gpu`, or use the CPU build: `make install`"
STARTUP_HOOK_FILE = "d2l_utils_cuda.pth"


@dataclass(frozen=True)
class CudaLibrary:
    """A shared library MXNet's CUDA build links to, and where it comes from.

    ``package`` is the pip distribution that installs it into ``directory`` of site-packages;
    both are ``None`` for the NVIDIA driver, which only the system can provide.
    """

    soname: str
    package: str | None
    directory: str | None

    @property
    def origin(self) -> str:
        """Where a learner gets this library from, for error messages."""
        return f"pip package {self.package}" if self.package else "NVIDIA driver"


DRIVER = CudaLibrary("libcuda.so.1", None, None)

# Every library that libmxnet.so of mxnet-cu117 1.9.1 needs, each after those it links to.
CUDA_LIBRARIES = (
    DRIVER,
    CudaLibrary("libcudart.so.11.0", "nvidia-cuda-runtime-cu11", "nvidia/cuda_runtime/lib"),
    CudaLibrary("libnvToolsExt.so.1", "nvidia-nvtx-cu11", "nvidia/nvtx/lib"),
    CudaLibrary("libcublasLt.so.11", "nvidia-cublas-cu11", "nvidia/cublas/lib"),
    CudaLibrary("libcublas.so.11", "nvidia-cublas-cu11", "nvidia/cublas/lib"),
    CudaLibrary("libcufft.so.10", "nvidia-cufft-cu11", "nvidia/cufft/lib"),
    CudaLibrary("libcurand.so.10", "nvidia-curand-cu11", "nvidia/curand/lib"),
    CudaLibrary("libcusparse.so.11", "nvidia-cusparse-cu11", "nvidia/cusparse/lib"),
    CudaLibrary("libcusolver.so.11", "nvidia-cusolver-cu11", "nvidia/cusolver/lib"),
    CudaLibrary("libnvrtc.so.11.2", "nvidia-cuda-nvrtc-cu11", "nvidia/cuda_nvrtc/lib"),
    CudaLibrary("libcudnn.so.8", "nvidia-cudnn-cu11", "nvidia/cudnn/lib"),
    CudaLibrary("libnccl.so.2", "nvidia-nccl-cu11", "nvidia/nccl/lib"),
)


class CudaLibraryError(ImportError):
    """The CUDA build of MXNet is installed but some of its libraries cannot be loaded."""

    def __init__(self, failures: Sequence[tuple[CudaLibrary, str]]) -> None:
        self.libraries = [library for library, _ in failures]
        lines = [f"  {library.soname} ({library.origin}): {reason}" for library, reason in failures]
        fix = GPU_INSTALL_HINT
        if DRIVER in self.libraries:
            fix = "this machine has no NVIDIA driver: use the CPU build, `make install`"
        super().__init__(
            f"MXNet's CUDA build ({CUDA_BUILD}) is installed, but cannot load these libraries:\n"
            + "\n".join(lines)
            + f"\nTo fix it, {fix}."
        )


def cuda_build_installed() -> bool:
    """Is MXNet's CUDA build the installed MXNet? Read from package metadata, without importing MXNet."""
    try:
        metadata.distribution(CUDA_BUILD)
    except metadata.PackageNotFoundError:
        return False
    return True


def find_library(library: CudaLibrary, search_path: Iterable[str] | None = None) -> Path | None:
    """The first ``<entry>/<directory>/<soname>`` over ``search_path`` (default ``sys.path``), or None."""
    if library.directory is None:
        return None
    for entry in sys.path if search_path is None else search_path:
        candidate = Path(entry, library.directory, library.soname)
        if candidate.is_file():
            return candidate
    return None


def load_global(name: str) -> None:
    """dlopen ``name`` with RTLD_GLOBAL, so that later libraries resolve against it."""
    ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)


def preload_cuda_libraries(
    search_path: Iterable[str] | None = None, load: Callable[[str], None] = load_global
) -> list[str]:
    """Load every library of :data:`CUDA_LIBRARIES`, in order; return what was loaded.

    A library found in site-packages is loaded by its path; any other (the driver, or a
    CUDA library installed outside pip) by its soname, which the system's loader looks up.
    Raises :class:`CudaLibraryError`, naming every library that failed and where it
    comes from, so that one error message lists all there is to fix.
    """
    search_path = list(sys.path if search_path is None else search_path)
    loaded, failures = [], []
    for library in CUDA_LIBRARIES:
        path = find_library(library, search_path)
        target = str(path) if path else library.soname
        try:
            load(target)
        except OSError as error:
            failures.append((library, str(error) if path else "not installed"))
        else:
            loaded.append(target)
    if failures:
        raise CudaLibraryError(failures)
    return loaded


def preload_for_cuda_build() -> None:
    """Preload the CUDA libraries when MXNet's CUDA build is installed; otherwise do nothing."""
    if cuda_build_installed():
        preload_cuda_libraries()


class _PreloadBeforeMXNet(importlib.abc.MetaPathFinder):
    """Runs :func:`preload_for_cuda_build` when ``mxnet`` is first imported; never finds a module itself."""

    preloads_cuda_for_mxnet = True  # marks the hook, which the startup line may load more than once

    def __init__(self) -> None:
        self.done = False

    def find_spec(self, fullname: str, path: object, target: object = None) -> importlib.machinery.ModuleSpec | None:
        """Preload on the first import of ``mxnet``, then let the other finders find it."""
        if fullname == "mxnet" and not self.done:
            self.done = True
            preload_for_cuda_build()
        return None


def install_import_hook() -> None:
    """Preload the CUDA libraries just before ``mxnet`` is imported, in whatever order a notebook imports."""
    if not any(getattr(finder, "preloads_cuda_for_mxnet", False) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PreloadBeforeMXNet())


def startup_hook_line(module_file: str = __file__) -> str:
    """The ``.pth`` line that installs the import hook when Python starts.

    Notebooks import ``mxnet`` before ``d2l_utils``, so the preload in ``d2l_utils/__init__.py``
    would come too late: this line, run by ``site`` at startup, loads this file alone (not the
    ``d2l_utils`` package, which imports MXNet) and installs :func:`install_import_hook`.
    """
    return (
        "import importlib.util as u, sys; "
        f"s = u.spec_from_file_location('d2l_utils_cuda_startup', {str(Path(module_file).resolve())!r}); "
        "m = sys.modules[s.name] = u.module_from_spec(s); s.loader.exec_module(m); m.install_import_hook()\n"
    )


def write_startup_hook(site_dir: str | None = None) -> Path:
    """Write the startup hook into ``site_dir`` (default: this Python's site-packages)."""
    target = Path(site_dir or sysconfig.get_path("purelib"), STARTUP_HOOK_FILE)
    target.write_text(startup_hook_line())
    return target


if __name__ == "__main__":
    # `make install-gpu` runs this file by path, so that it works before MXNet can be imported.
    print(f"wrote {write_startup_hook()}")
