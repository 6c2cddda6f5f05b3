"""Which BLAS PyTorch runs on, checked before any timing.

pip's PyTorch wheels ship an optimised BLAS (MKL, or OpenBLAS built with OpenMP). Debian's python3-torch
takes whatever `libblas.so.3` points at: the reference BLAS, or OpenBLAS with its own pthreads, which
fights OpenMP for the cores. On either, PyTorch is 15-40 % slower here and a speed comparison with it
says nothing, so the peers refuse to time on them. The make targets point the loader at the OpenMP
build (`LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp`, from `libopenblas0-openmp`).
"""
import re

OPENMP_OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def mapped_blas():
    """The BLAS (and MKL) libraries this process has mapped, by their resolved paths."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if len(line.split()) >= 6}
    return sorted(p for p in paths if re.search(r"blas|mkl", p.rsplit("/", 1)[-1], re.IGNORECASE))


def blas_verdict(libraries, torch_config):
    """None when the BLAS is one a pip wheel would bring, else why the comparison would be void."""
    if any("mkl" in lib.lower() or "openblas-openmp" in lib for lib in libraries):
        return None
    if not libraries and "BLAS_INFO=mkl" in torch_config:
        return None  # MKL linked statically, as in pip's x86 wheels
    if any("openblas-pthread" in lib for lib in libraries):
        return "OpenBLAS with pthreads (Debian's default libblas.so.3), whose threads compete with OpenMP's"
    if libraries:
        return "the reference BLAS (" + ", ".join(libraries) + ")"
    return "no BLAS library mapped and no MKL linked in"


def require_optimised_blas(torch, tool):
    """Names the BLAS in use, or exits if PyTorch is not on an optimised one."""
    torch.ones(4, 4) @ torch.ones(4, 4)  # a matrix product makes sure the BLAS is loaded before it is looked for
    libraries = mapped_blas()
    why = blas_verdict(libraries, torch.__config__.show())
    if why is not None:
        raise SystemExit(f"{tool}: PyTorch runs on {why}: timing it would make the comparison void; "
                         f"install libopenblas0-openmp and run with LD_LIBRARY_PATH={OPENMP_OPENBLAS} (the make targets do)")
    return ", ".join(libraries) or "MKL (linked in)"


def require_same_threads(our_output, threads, tool):
    """Exits unless our side ran with the peer's number of threads (its `backend:` line says how many)."""
    found = re.search(r"^backend: .*threads (\d+)", our_output, re.MULTILINE)
    if found is None:
        raise SystemExit(f"{tool}: our side printed no 'backend: ... threads N' line")
    if int(found.group(1)) != threads:
        raise SystemExit(f"{tool}: our side ran {found.group(1)} threads, the peer {threads}: set OMP_NUM_THREADS or --threads so they agree")
