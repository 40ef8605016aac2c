"""Build the compose stack's images where no image registry is reachable.

Nothing is pulled: a Debian base is made with ``debootstrap`` from Debian's mirror and imported
with ``docker import``; on it, an Airflow base that does what the project's Dockerfile expects
of ``apache/airflow`` (Debian's Python 3.11, uv from the package index), a stand-in for the uv
image, PostgreSQL and Redis from Debian's packages (deploy/images/). The project's own
Dockerfile then builds the Airflow image on them (its base images are build arguments), with the
locked packages from the package index, exactly as it does on the official images.

Every image is tagged with a hash of what it is made from (its Dockerfile, the files it copies,
its base image, the versions it installs): an image whose tag exists is not built again. Each
also gets the tag ``local``, which ``deploy/compose.local-images.yml`` uses unless ``.env`` names
other tags (:func:`env_lines`).

The host's extra certificate authorities (``/usr/local/share/ca-certificates``: an HTTPS proxy
in front of the package index, say) are copied into the Airflow base's build context for the
build only and trusted in the image. Proxy settings in the environment (HTTP_PROXY, HTTPS_PROXY,
NO_PROXY) go to every build. Building the Debian base needs root (debootstrap).

    python -m marketing_health.deploy.images            # or: bash scripts/images.sh
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from marketing_health.deploy.docker import daemon_running
from marketing_health.settings import REPO_ROOT

IMAGES_DIR = REPO_ROOT / "deploy" / "images"
OVERRIDE_FILE = REPO_ROOT / "deploy" / "compose.local-images.yml"
#: Where the host keeps certificate authorities beyond Debian's (update-ca-certificates).
EXTRA_CA_DIR = Path("/usr/local/share/ca-certificates")
DEBIAN_SUITE = "bookworm"
#: Debian's mirror; MH_DEBIAN_MIRROR names a local one.
DEFAULT_DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBIAN_SECURITY_MIRROR = "http://deb.debian.org/debian-security"
#: What debootstrap installs beyond minbase: every image needs to trust HTTPS servers.
DEBIAN_PACKAGES = ("ca-certificates",)
#: Second tag of every image, the one deploy/compose.local-images.yml uses by default.
LOCAL_TAG = "local"
#: Held while images are built: the images are the daemon's, whoever asks for them.
BUILD_LOCK = REPO_ROOT / "var" / "images" / "build.lock"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")
#: Not copied into the project image's build context (.dockerignore) or not part of it.
IGNORED_PARTS = frozenset({"__pycache__", ".pytest_cache", ".ruff_cache"})

#: The Debian base's apt sources: the release, its updates and security fixes.
SOURCES_LIST = """\
deb {mirror} {suite} main
deb {mirror} {suite}-updates main
deb {security} {suite}-security main
"""
#: Images stay small: no recommended packages, no manuals or documentation.
APT_SETTINGS = {
    "etc/apt/apt.conf.d/90marketing-health": (
        'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n'
        'Acquire::Languages "none";\n'
    ),
    "etc/dpkg/dpkg.cfg.d/90marketing-health": (
        "path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\n"
        "path-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n"
        "path-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n"
    ),
}


class ImageBuildError(RuntimeError):
    """An image could not be built; the message says which, why and where its log is."""


@dataclass(frozen=True)
class Built:
    """One image: its hash-tagged reference, how long getting it took, whether it existed."""

    variable: str
    reference: str
    seconds: float
    cached: bool


@dataclass
class BuildReport:
    """Every image of the stack, in build order, and the whole build's duration."""

    images: list[Built] = field(default_factory=list)
    seconds: float = 0.0

    def reference(self, variable: str) -> str:
        return next(b.reference for b in self.images if b.variable == variable)

    def env(self) -> dict[str, str]:
        """The .env settings that make docker-compose.yml and the override use these images."""
        return {b.variable: b.reference for b in self.images if b.variable in ENV_VARIABLES}

    def summary(self) -> str:
        lines = [
            f"  {b.reference:<60} {'cached' if b.cached else 'built':>6} {b.seconds:7.1f} s"
            for b in self.images
        ]
        return "\n".join([*lines, f"  {'total':<60} {'':>6} {self.seconds:7.1f} s"])


#: Image repositories, by the .env variable that names each one's tag.
REPOSITORIES = {
    "MH_DEBIAN_IMAGE": "marketing-health/debian",
    "MH_AIRFLOW_BASE_IMAGE": "marketing-health/airflow-base",
    "MH_UV_IMAGE": "marketing-health/uv",
    "MH_POSTGRES_IMAGE": "marketing-health/postgres",
    "MH_REDIS_IMAGE": "marketing-health/redis",
    # the name docker-compose.yml gives the project's own image
    "AIRFLOW_IMAGE_NAME": "marketing-health-airflow",
}
#: What .env may set for the override file (the Debian base is only built upon).
ENV_VARIABLES = tuple(v for v in REPOSITORIES if v != "MH_DEBIAN_IMAGE")


# --- versions the images are built for ------------------------------------------------------


def locked_version(package: str, lock_file: Path = REPO_ROOT / "uv.lock") -> str:
    """The version uv.lock pins for ``package``."""
    lock = tomllib.loads(lock_file.read_text(encoding="utf-8"))
    for entry in lock["package"]:
        if entry["name"] == package:
            return str(entry["version"])
    raise ImageBuildError(f"{lock_file.name} pins no version of {package}")


def pinned_uv_version(bootstrap: Path = REPO_ROOT / "scripts" / "bootstrap.sh") -> str:
    """The uv release scripts/bootstrap.sh installs, so the images read uv.lock the same way."""
    found = re.search(r'^UV_VERSION="([^"]+)"', bootstrap.read_text(encoding="utf-8"), re.M)
    if not found:
        raise ImageBuildError(f"{bootstrap} does not pin UV_VERSION")
    return found.group(1)


# --- content hashes ---------------------------------------------------------------------------


def _files(paths: Iterable[Path]) -> list[Path]:
    """Every file under ``paths`` (files themselves included), sorted, caches left out."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in path.rglob("*")
                if p.is_file() and not IGNORED_PARTS & set(p.parts) and p.suffix != ".pyc"
            )
        elif path.is_file():
            found.append(path)
    return sorted(found)


def content_hash(*, files: Iterable[Path] = (), values: Iterable[str] = ()) -> str:
    """First 16 hex digits of a SHA-256 over the files' names and bytes and the values."""
    digest = hashlib.sha256()
    # named relative to the repository, wherever it is checked out, and hashed in that order
    named = {
        str(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path): path
        for path in _files(files)
    }
    for name, path in sorted(named.items()):
        digest.update(f"file {name}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    for value in values:
        digest.update(f"value {value}\0".encode())
    return digest.hexdigest()[:16]


def extra_ca_certificates(folder: Path = EXTRA_CA_DIR) -> list[Path]:
    """The host's extra certificate authorities (``*.crt``, as update-ca-certificates reads)."""
    return sorted(folder.rglob("*.crt")) if folder.is_dir() else []


# --- docker -----------------------------------------------------------------------------------


def image_exists(reference: str) -> bool:
    done = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{.Id}}", reference],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


def _run_logged(command: list[str], log_file: Path, what: str, **kwargs: object) -> None:
    """Run ``command`` with its output in ``log_file``; a failure names the log and its end."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        log.write(f"$ {' '.join(command)}\n".encode())
        log.flush()
        done = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        tail = log_file.read_text(errors="replace")[-3000:]
        raise ImageBuildError(f"{what} failed (exit {done.returncode}; log {log_file}):\n{tail}")


def _proxy_build_args() -> list[str]:
    args: list[str] = []
    for name in PROXY_VARIABLES:
        if os.environ.get(name):
            args += ["--build-arg", name]  # the value is read from this environment
    return args


def docker_build(
    reference: str,
    dockerfile: Path,
    context: Path,
    build_args: dict[str, str],
    log_file: Path,
) -> None:
    """``docker build`` with Docker's classic builder, which needs no registry: BuildKit would
    fetch the Dockerfile frontend the ``# syntax`` line names."""
    command = ["docker", "build", "--force-rm", "--file", str(dockerfile), "--tag", reference]
    for name, value in build_args.items():
        command += ["--build-arg", f"{name}={value}"]
    command += [*_proxy_build_args(), str(context)]
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    _run_logged(command, log_file, f"building {reference}", env=env)


def _tag_local(reference: str) -> None:
    repository = reference.rsplit(":", 1)[0]
    subprocess.run(["docker", "tag", reference, f"{repository}:{LOCAL_TAG}"], check=True)


def remove_stale_tags(report: BuildReport) -> list[str]:
    """Untag older builds of these repositories (their layers go once nothing uses them);
    an image a container still uses is kept."""
    removed = []
    for built in report.images:
        repository, current = built.reference.rsplit(":", 1)
        listed = subprocess.run(
            ["docker", "image", "ls", repository, "--format", "{{.Tag}}"],
            capture_output=True,
            text=True,
            check=False,
        )
        for tag in listed.stdout.split():
            if tag in (current, LOCAL_TAG, "<none>"):
                continue
            gone = subprocess.run(
                ["docker", "image", "rm", f"{repository}:{tag}"], capture_output=True, check=False
            )
            if gone.returncode == 0:
                removed.append(f"{repository}:{tag}")
    return removed


# --- the images -------------------------------------------------------------------------------


def debian_mirror() -> str:
    return os.environ.get("MH_DEBIAN_MIRROR", DEFAULT_DEBIAN_MIRROR)


def build_debian_base(reference: str, log_file: Path, work_dir: Path) -> None:
    """debootstrap (minbase) -> apt sources and settings -> ``docker import``.

    Raises:
        ImageBuildError: not root, no debootstrap, or a step failed.
    """
    if os.geteuid() != 0:
        raise ImageBuildError("building the Debian base image needs root (debootstrap)")
    debootstrap = shutil.which("debootstrap")
    if debootstrap is None:
        raise ImageBuildError("debootstrap is not installed (Debian: apt-get install debootstrap)")
    rootfs = Path(tempfile.mkdtemp(prefix="debian-rootfs-", dir=work_dir))
    try:
        _run_logged(
            [
                debootstrap,
                "--variant=minbase",
                f"--include={','.join(DEBIAN_PACKAGES)}",
                DEBIAN_SUITE,
                str(rootfs),
                debian_mirror(),
            ],
            log_file,
            "debootstrap",
        )
        (rootfs / "etc/apt/sources.list").write_text(
            SOURCES_LIST.format(
                mirror=debian_mirror(), security=DEBIAN_SECURITY_MIRROR, suite=DEBIAN_SUITE
            ),
            encoding="utf-8",
        )
        for relative, text in APT_SETTINGS.items():
            (rootfs / relative).write_text(text, encoding="utf-8")
        for leftover in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for path in (rootfs / leftover).glob("*"):
                if path.is_file():
                    path.unlink()
        archive = subprocess.Popen(
            ["tar", "--numeric-owner", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE
        )
        try:
            _run_logged(
                [
                    "docker",
                    "import",
                    "--change",
                    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "--change",
                    'CMD ["bash"]',
                    "-",
                    reference,
                ],
                log_file,
                f"importing {reference}",
                stdin=archive.stdout,
            )
        finally:
            if archive.stdout is not None:
                archive.stdout.close()
            archive.wait()
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)


@dataclass
class Builder:
    """Builds (or finds) each image in turn; ``log_dir`` keeps one build log per image."""

    log_dir: Path
    force: bool = False
    log: Callable[[str], None] = print
    report: BuildReport = field(default_factory=BuildReport)

    def _image(self, variable: str, tag: str, build: Callable[[str, Path], None]) -> str:
        reference = f"{REPOSITORIES[variable]}:{tag}"
        started = time.monotonic()
        cached = not self.force and image_exists(reference)
        if cached:
            self.log(f"{reference}: exists, not rebuilt")
        else:
            self.log(f"{reference}: building ...")
            log_file = self.log_dir / f"{REPOSITORIES[variable].replace('/', '_')}.log"
            log_file.unlink(missing_ok=True)
            build(reference, log_file)
            self.log(f"{reference}: built in {time.monotonic() - started:.0f} s")
        _tag_local(reference)
        self.report.images.append(
            Built(variable, reference, round(time.monotonic() - started, 1), cached)
        )
        return reference

    def debian(self) -> str:
        tag = f"{DEBIAN_SUITE}-" + content_hash(
            values=[
                DEBIAN_SUITE,
                debian_mirror(),
                DEBIAN_SECURITY_MIRROR,
                *DEBIAN_PACKAGES,
                *APT_SETTINGS.values(),
            ]
        )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return self._image(
            "MH_DEBIAN_IMAGE",
            tag,
            lambda ref, log: build_debian_base(ref, log, self.log_dir),
        )

    def from_dockerfile(
        self,
        variable: str,
        name: str,
        files: list[str],
        build_args: dict[str, str],
        extra_files: Iterable[Path] = (),
    ) -> str:
        """An image of deploy/images/<name>.Dockerfile; ``files`` (of deploy/images) and
        ``extra_files`` (copied into extra-ca-certificates/) make its build context."""
        dockerfile = IMAGES_DIR / f"{name}.Dockerfile"
        sources = [IMAGES_DIR / f for f in files]
        extras = list(extra_files)
        tag = content_hash(
            files=[dockerfile, *sources, *extras],
            values=[f"{k}={v}" for k, v in sorted(build_args.items())],
        )
        version = build_args.get("AIRFLOW_VERSION") or build_args.get("UV_VERSION")
        if version:
            tag = f"{version}-{tag}"

        def build(reference: str, log_file: Path) -> None:
            with tempfile.TemporaryDirectory(prefix=f"{name}-context-") as context:
                root = Path(context)
                for source in sources:
                    shutil.copy2(source, root / source.name)
                (root / "extra-ca-certificates").mkdir()
                for number, extra in enumerate(extras):
                    shutil.copy2(extra, root / "extra-ca-certificates" / f"{number}-{extra.name}")
                docker_build(reference, dockerfile, root, build_args, log_file)

        return self._image(variable, tag, build)

    def project(self, airflow_base: str, uv: str) -> str:
        """The project's Dockerfile on the local bases: its build context is the repository,
        of which the image holds pyproject.toml, uv.lock, README.md and include/."""
        build_args = {"AIRFLOW_BASE_IMAGE": airflow_base, "UV_IMAGE": uv}
        copied = [
            REPO_ROOT / name
            for name in ("Dockerfile", ".dockerignore", "pyproject.toml", "uv.lock", "README.md")
        ]
        tag = content_hash(
            files=[*copied, REPO_ROOT / "include"],
            values=[f"{k}={v}" for k, v in sorted(build_args.items())],
        )
        return self._image(
            "AIRFLOW_IMAGE_NAME",
            tag,
            lambda ref, log: docker_build(
                ref, REPO_ROOT / "Dockerfile", REPO_ROOT, build_args, log
            ),
        )


@contextmanager
def build_lock(log: Callable[[str], None] = print, lock_file: Path = BUILD_LOCK) -> Iterator[None]:
    """One build at a time: a second one waits, then finds the images built.

    CI starts a build in the background before the tests (scripts/test.sh) and the stack test
    asks for the same images; without the lock both would build every missing image at once.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"another build of the images is running (lock {lock_file}), waiting")
            waited = time.monotonic()
            fcntl.flock(handle, fcntl.LOCK_EX)
            log(f"the other build ended after {time.monotonic() - waited:.0f} s")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_images(
    log_dir: Path, *, force: bool = False, log: Callable[[str], None] = print
) -> BuildReport:
    """Every image of the stack, built or found by its content tag.

    PostgreSQL and Redis are built beside the Airflow chain (base, uv, project image), which
    waits on the package index most of the time. A build already running is waited for
    (:func:`build_lock`).
    """
    with build_lock(log):
        return _build_images(log_dir, force=force, log=log)


def _build_images(log_dir: Path, *, force: bool, log: Callable[[str], None]) -> BuildReport:
    started = time.monotonic()
    builder = Builder(log_dir, force=force, log=log)
    debian = builder.debian()
    base_args = {"DEBIAN_BASE": debian}
    with ThreadPoolExecutor(max_workers=2) as pool:
        servers = [
            pool.submit(
                builder.from_dockerfile,
                "MH_POSTGRES_IMAGE",
                "postgres",
                ["postgres-entrypoint.sh"],
                base_args,
            ),
            pool.submit(builder.from_dockerfile, "MH_REDIS_IMAGE", "redis", [], base_args),
        ]
        airflow_base = builder.from_dockerfile(
            "MH_AIRFLOW_BASE_IMAGE",
            "airflow-base",
            ["airflow-entrypoint.sh"],
            {
                **base_args,
                "AIRFLOW_VERSION": locked_version("apache-airflow"),
                "UV_VERSION": pinned_uv_version(),
            },
            extra_files=extra_ca_certificates(),
        )
        uv = builder.from_dockerfile(
            "MH_UV_IMAGE", "uv", [], {**base_args, "AIRFLOW_BASE": airflow_base}
        )
        builder.project(airflow_base, uv)
        for future in servers:
            future.result()
    builder.report.seconds = round(time.monotonic() - started, 1)
    return builder.report


def env_lines(report: BuildReport) -> str:
    """Lines for .env naming the images by their content tags."""
    return "".join(f"{name}={value}\n" for name, value in report.env().items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m marketing_health.deploy.images",
        description="Build the compose stack's images from Debian's packages and the package "
        "index, without an image registry.",
    )
    parser.add_argument("--force", action="store_true", help="rebuild images that exist")
    parser.add_argument(
        "--log-dir",
        type=Path,
        default=REPO_ROOT / "var" / "images",
        help="one build log per image (default: var/images)",
    )
    parser.add_argument("--keep-old", action="store_true", help="keep the tags of earlier builds")
    args = parser.parse_args(argv)
    if not daemon_running():
        print(
            "error: no Docker daemon answers; start it first (as root: dockerd &, or "
            "systemctl start docker)",
            file=sys.stderr,
        )
        return 1
    try:
        report = build_images(args.log_dir, force=args.force, log=print)
    except ImageBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.keep_old:
        for reference in remove_stale_tags(report):
            print(f"removed the earlier build {reference}")
    print("\nImages:\n" + report.summary())
    print(
        "\nStart the stack on them (the override uses the ':local' tags; to pin these builds, "
        "add the lines below to .env):\n"
        f"  docker-compose -f docker-compose.yml -f {OVERRIDE_FILE.relative_to(REPO_ROOT)} "
        "up -d\n\n" + env_lines(report)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
