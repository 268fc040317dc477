"""A class on the hub (hub/jupyterhub_config.py), loaded on this machine's loopback: `make test-hub`.

The test starts podman's Docker-compatible API on a unix socket of its own and the hub from
.venv-hub with its test password, then D2L_HUB_LEARNERS learners at once sign in through the
proxy, start their servers (course containers), and each runs a lesson end to end over the Jupyter
REST and kernel websocket APIs: the first the whole course (00 to 06), every
D2L_HUB_LESSON06_EVERY-th lesson 06, the others lesson 01. Most then stop their servers; the last
ones stay idle until the culler stops them. Every loop is bounded in count and time; the
containers, volumes, hub and API service go at the end, also on failure. The measurements go to
test-artifacts/hub-measurements.json (README "Teach a class").
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
import requests

from tests.container.conftest import required_env
from tests.container.helpers import run
from tests.container.remote_notebook import run_notebook
from tests.container.test_image import free_port
from tests.test_hub_config import config_constants, mebibytes

REPO = Path(__file__).resolve().parents[2]
MEASUREMENTS = REPO / "test-artifacts" / "hub-measurements.json"
HUB_LOG = REPO / "test-artifacts" / "hub.log"
COURSE = [p.name for p in sorted((REPO / "notebooks").glob("0*.ipynb"))]
LESSON_01, LESSON_06 = "01-ndarray.ipynb", "06-mlp.ipynb"
CULL_TIMEOUT, CULL_EVERY, ACTIVITY_INTERVAL = 90, 10, 10
SPAWN_TIMEOUT = 600
# Tries to start a server while the hub answers 429 (too many spawning at once).
SPAWN_ATTEMPTS = 10
# The whole class's sign-in, spawns and lessons, at most (the whole course under load included).
CLASS_TIMEOUT = 3600
REQUEST_TIMEOUT = 60
CGROUP = Path("/sys/fs/cgroup")
MIB = 2**20


@dataclass
class Learner:
    """One simulated learner and what the test measured of their server."""

    name: str
    lessons: list[str]
    stays_idle: bool
    token: str = ""
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    container: str = ""
    cgroup: str = ""
    spawn_s: float = 0.0
    lesson_s: dict[str, float] = field(default_factory=dict)
    idle_rss_mib: float = 0.0
    peak_rss_mib: float = 0.0
    peak_usage_mib: float = 0.0
    cpu_s: float = 0.0
    mismatches: list[str] = field(default_factory=list)


def learners_for_this_run(count: int, every_06: int, whole_course: bool) -> list[Learner]:
    """The class: learner 0 runs the whole course (if asked), every ``every_06``-th (0: none) lesson 06,
    the others lesson 01; the last quarter (at least one) stay idle afterwards."""
    assert count >= 2, "a class needs two learners at least: one tries to open the other's server"
    idle = max(1, count // 4)
    chosen = []
    for index in range(count):
        if index == 0 and whole_course:
            lessons = COURSE
        elif every_06 and index and index % every_06 == 0:
            lessons = [LESSON_06]
        else:
            lessons = [LESSON_01]
        chosen.append(Learner(f"learner{index:03d}", lessons, stays_idle=index >= count - idle))
    return chosen


def wait_until(condition, timeout: float, what: str, every: float = 1.0):
    """Poll ``condition`` until it returns something true, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"{what}: not within {timeout} s")


def memory_stat(cgroup: str) -> dict[str, int]:
    """The cgroup v1 memory.stat of a container, as numbers."""
    lines = (CGROUP / "memory" / cgroup.lstrip("/") / "memory.stat").read_text().split("\n")
    return {k: int(v) for k, v in (line.split() for line in lines if line)}


def read_int(controller: str, cgroup: str, name: str) -> int:
    """One number from a container's cgroup v1 file, e.g. memory.max_usage_in_bytes."""
    return int((CGROUP / controller / cgroup.lstrip("/") / name).read_text())


class RssSampler(threading.Thread):
    """Samples every tracked container's resident memory (total_rss) once a second; keeps the peaks."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.tracked: dict[str, Learner] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        """Sample until told to stop; a container that went away is skipped."""
        while not self.stop.wait(1.0):
            for learner in list(self.tracked.values()):
                try:
                    rss = memory_stat(learner.cgroup)["total_rss"] / MIB
                except (OSError, KeyError):
                    continue
                learner.peak_rss_mib = max(learner.peak_rss_mib, rss)


@dataclass
class Hub:
    """The running hub: where it answers, and what the test needs to clean up."""

    url: str
    password: str
    prefix: str
    engine: str


def start_api_service(engine: str, socket_path: Path) -> subprocess.Popen:
    """podman's Docker-compatible API on a unix socket (engine.sh's settings), until stopped."""
    service = subprocess.Popen([engine, "system", "service", "--time=0", f"unix://{socket_path}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_until(socket_path.exists, 60, "podman's API socket")
    return service


def stop_process(process: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM a process group this test started, then SIGKILL it if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)


def remove_leftovers(engine: str, prefix: str) -> None:
    """Remove every container and volume of this run (their names start with ``prefix``)."""
    names = run(engine, "ps", "-a", "--format", "{{.Names}}", check=False).stdout.split()
    for name in (n for n in names if n.startswith(prefix)):
        run(engine, "rm", "-f", "--time", "5", name, check=False, timeout=120)
    volumes = run(engine, "volume", "ls", "--format", "{{.Name}}", check=False).stdout.split()
    for volume in (v for v in volumes if v.startswith(prefix)):
        run(engine, "volume", "rm", "-f", volume, check=False, timeout=120)


@pytest.fixture(scope="module")
def hub(engine: str, image: str, tmp_path_factory: pytest.TempPathFactory):
    """JupyterHub from .venv-hub with hub/jupyterhub_config.py, on free loopback ports."""
    hub_bin = Path(required_env("D2L_HUB_BIN"))
    state = tmp_path_factory.mktemp("hub")
    prefix = f"d2l-hubtest-{secrets.token_hex(3)}"
    port = free_port()
    env = dict(os.environ,
               DOCKER_HOST=f"unix://{state / 'engine.sock'}",
               D2L_HUB_PASSWORD=secrets.token_hex(8), D2L_HUB_IMAGE=f"localhost/{image}",
               D2L_HUB_PREFIX=prefix, D2L_HUB_DATA_VOLUME=f"{prefix}-data",
               D2L_HUB_PORT=str(port), D2L_HUB_API_PORT=str(free_port()), D2L_HUB_PROXY_API_PORT=str(free_port()),
               D2L_HUB_CULL_TIMEOUT=str(CULL_TIMEOUT), D2L_HUB_CULL_EVERY=str(CULL_EVERY),
               D2L_HUB_ACTIVITY_INTERVAL=str(ACTIVITY_INTERVAL))
    HUB_LOG.parent.mkdir(exist_ok=True)
    service = start_api_service(engine, state / "engine.sock")
    process = None
    try:
        with HUB_LOG.open("w") as log:
            process = subprocess.Popen([str(hub_bin / "jupyterhub"), "-f", str(REPO / "hub" / "jupyterhub_config.py")],
                                       cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            assert process.poll() is None, f"the hub exited {process.returncode}: see {HUB_LOG}"
            try:
                return requests.get(f"{url}/hub/api", timeout=5).status_code == 200
            except requests.ConnectionError:
                return False

        wait_until(answers, 120, f"the hub on {url} (log: {HUB_LOG})")
        yield Hub(url, env["D2L_HUB_PASSWORD"], prefix, engine)
    finally:
        if process is not None:
            stop_process(process)
        remove_leftovers(engine, prefix)
        stop_process(service)


def sign_in(hub: Hub, learner: Learner) -> None:
    """Sign in through the proxy's login form, then make an API token with that login."""
    session = learner.session
    session.get(f"{hub.url}/hub/login", timeout=REQUEST_TIMEOUT).raise_for_status()
    xsrf = session.cookies.get("_xsrf", path="/hub/")
    form = {"username": learner.name, "password": hub.password, "_xsrf": xsrf}
    signed_in = session.post(f"{hub.url}/hub/login", data=form, allow_redirects=False, timeout=REQUEST_TIMEOUT)
    assert signed_in.status_code == 302, f"{learner.name} could not sign in: {signed_in.status_code}"
    # Signing in starts a new session, with an XSRF token of its own for the API.
    session.get(f"{hub.url}/hub/home", timeout=REQUEST_TIMEOUT).raise_for_status()
    xsrf = session.cookies.get("_xsrf", path="/hub/")
    made = session.post(f"{hub.url}/hub/api/users/{learner.name}/tokens", json={"note": "class", "expires_in": 7200},
                        headers={"X-XSRFToken": xsrf}, timeout=REQUEST_TIMEOUT)
    assert made.status_code == 201, made.text
    learner.token = made.json()["token"]


def api(hub: Hub, learner: Learner, method: str, path: str) -> requests.Response:
    """One hub API request with the learner's own token."""
    return requests.request(method, f"{hub.url}/hub/api{path}", headers={"Authorization": f"token {learner.token}"},
                            timeout=REQUEST_TIMEOUT)


def server_state(hub: Hub, learner: Learner) -> dict | None:
    """The learner's default server as the hub reports it (None when there is none)."""
    response = api(hub, learner, "GET", f"/users/{learner.name}")
    response.raise_for_status()
    return response.json()["servers"].get("")


def start_server(hub: Hub, learner: Learner, sampler: RssSampler) -> None:
    """Start the learner's server and wait until the hub says it is ready; note the container's cgroup."""
    started = time.monotonic()
    for _attempt in range(SPAWN_ATTEMPTS):
        response = api(hub, learner, "POST", f"/users/{learner.name}/server")
        if response.status_code != 429:
            break
        # More learners spawning than the hub's concurrent_spawn_limit: try again when it says, as a browser does.
        time.sleep(min(60, int(response.headers.get("Retry-After", "30"))))
    assert response.status_code in (201, 202), response.text
    wait_until(lambda: (server_state(hub, learner) or {}).get("ready"), SPAWN_TIMEOUT, f"{learner.name}'s server", 2)
    learner.spawn_s = time.monotonic() - started
    learner.container = f"{hub.prefix}-{learner.name}"
    learner.cgroup = run(hub.engine, "inspect", "--format", "{{.State.CgroupPath}}", learner.container).stdout.strip()
    learner.idle_rss_mib = memory_stat(learner.cgroup)["total_rss"] / MIB
    # The configured limits hold the container: memory, and CPU time per scheduling period.
    limits = config_constants()
    assert read_int("memory", learner.cgroup, "memory.limit_in_bytes") == mebibytes(limits["MEM_LIMIT"]) * MIB
    quota, period = (read_int("cpu", learner.cgroup, f"cpu.cfs_{name}_us") for name in ("quota", "period"))
    assert quota == round(limits["CPU_LIMIT"] * period)
    sampler.tracked[learner.name] = learner


def run_lessons(hub: Hub, learner: Learner) -> None:
    """Run the learner's lessons, from their own copies in their home, and compare the outputs."""
    server = f"{hub.url}/user/{learner.name}"
    for lesson in learner.lessons:
        started = time.monotonic()
        learner.mismatches += run_notebook(server, learner.token, f"lessons/{lesson}")
        learner.lesson_s[lesson] = time.monotonic() - started
    learner.peak_usage_mib = read_int("memory", learner.cgroup, "memory.max_usage_in_bytes") / MIB
    learner.cpu_s = read_int("cpuacct", learner.cgroup, "cpuacct.usage") / 1e9


def stop_server(hub: Hub, learner: Learner) -> None:
    """The learner stops their own server, as the hub's control panel does."""
    response = api(hub, learner, "DELETE", f"/users/{learner.name}/server")
    assert response.status_code in (202, 204), response.text
    wait_until(lambda: server_state(hub, learner) is None, 120, f"{learner.name}'s server to stop", 2)


def assert_cannot_open(hub: Hub, owner: Learner, other: Learner) -> None:
    """``owner`` cannot reach ``other``'s running server: not with their token, nor signed in."""
    foreign = f"{hub.url}/user/{other.name}/api/contents"
    by_token = requests.get(foreign, headers={"Authorization": f"token {owner.token}"}, timeout=REQUEST_TIMEOUT)
    assert by_token.status_code == 403, by_token.status_code
    browser = owner.session.get(f"{hub.url}/user/{other.name}/lab", timeout=REQUEST_TIMEOUT)
    assert browser.status_code == 403, (browser.status_code, browser.url)


def lessons_at_home(hub: Hub, learner: Learner) -> list[str]:
    """The notebooks in the learner's own lessons folder, in their home (copied on the first start)."""
    listed = requests.get(f"{hub.url}/user/{learner.name}/api/contents/lessons", timeout=REQUEST_TIMEOUT,
                          headers={"Authorization": f"token {learner.token}"})
    listed.raise_for_status()
    return sorted(item["name"] for item in listed.json()["content"] if item["name"].endswith(".ipynb"))


def lesson_of(learner: Learner) -> str:
    """The learner's role in the measurements: the course, or the one lesson they ran."""
    return "course" if len(learner.lessons) > 1 else learner.lessons[0].split("-")[0]


def summarize(learners: list[Learner], wall_s: float) -> dict:
    """The per-learner figures and the class's summary, as README "Teach a class" reports them."""
    def spread(values: list[float]) -> dict[str, float] | None:
        if not values:
            return None  # no learner of this kind in this run
        return {"median": round(statistics.median(values), 1), "max": round(max(values), 1)}

    roles = sorted({lesson_of(learner) for learner in learners})
    training = [learner for learner in learners if LESSON_06 in learner.lessons]
    course = [learner for learner in learners if lesson_of(learner) == "course"]
    return {
        "learners": len(learners),
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_test_wall_s": round(wall_s, 1),
        "spawn_s": spread([learner.spawn_s for learner in learners]),
        "lesson_s": {role: spread([learner.lesson_s[lesson] for learner in learners if lesson_of(learner) == role
                                   for lesson in learner.lessons if len(learner.lessons) == 1])
                     for role in roles if role != "course"},
        "course_s": round(sum(course[0].lesson_s.values()), 1) if course else None,
        "idle_rss_mib": spread([learner.idle_rss_mib for learner in learners]),
        "lesson01_peak_rss_mib": spread([learner.peak_rss_mib for learner in learners if lesson_of(learner) == "01"]),
        "training_peak_rss_mib": spread([learner.peak_rss_mib for learner in training]),
        "training_peak_usage_mib": spread([learner.peak_usage_mib for learner in training]),
        "lesson01_cpu_s": spread([learner.cpu_s for learner in learners if lesson_of(learner) == "01"]),
        "lesson06_cpu_s": spread([learner.cpu_s for learner in learners if lesson_of(learner) == "06"]),
        "course_cpu_s": round(course[0].cpu_s, 1) if course else None,
        "course_lesson_s": {lesson: round(seconds, 1) for lesson, seconds in course[0].lesson_s.items()}
        if course else None,
        "per_learner": [{k: v for k, v in asdict(learner).items() if k not in ("token", "session", "mismatches")}
                        for learner in learners],
    }


def test_a_class_signs_in_runs_its_lessons_and_idle_servers_are_culled(hub: Hub) -> None:
    if not (CGROUP / "memory" / "memory.stat").exists():
        pytest.fail("the measurements read cgroup v1 files (/sys/fs/cgroup/memory), which this host lacks")
    count = int(required_env("D2L_HUB_LEARNERS"))
    every_06 = int(required_env("D2L_HUB_LESSON06_EVERY"))
    learners = learners_for_this_run(count, every_06, required_env("D2L_HUB_WHOLE_COURSE") == "1")
    sampler = RssSampler()
    sampler.start()

    # A wrong password is refused: the sign-in below is the authenticator's doing.
    intruder = requests.Session()
    intruder.get(f"{hub.url}/hub/login", timeout=REQUEST_TIMEOUT)
    refused = intruder.post(f"{hub.url}/hub/login", allow_redirects=False, timeout=REQUEST_TIMEOUT,
                            data={"username": "learner000", "password": "wrong",
                                  "_xsrf": intruder.cookies.get("_xsrf", path="/hub/")})
    assert refused.status_code == 403

    all_started = threading.Barrier(count, timeout=SPAWN_TIMEOUT + SPAWN_ATTEMPTS * 60)

    def one_learner(learner: Learner) -> None:
        try:
            sign_in(hub, learner)
            start_server(hub, learner, sampler)
            all_started.wait()
        except BaseException:
            all_started.abort()  # the others stop waiting for this learner
            raise
        if learner is learners[0]:
            assert_cannot_open(hub, learners[0], learners[1])
            assert lessons_at_home(hub, learner) == COURSE, "the lessons were not copied into the home"
        run_lessons(hub, learner)
        if not learner.stays_idle:
            stop_server(hub, learner)
            sampler.tracked.pop(learner.name)

    started = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=count)
    try:
        futures = [pool.submit(one_learner, learner) for learner in learners]
        failures = []
        for future in futures:
            try:
                future.result(timeout=max(1.0, started + CLASS_TIMEOUT - time.monotonic()))
            except threading.BrokenBarrierError as waited:  # another learner failed: report that one
                failures.append(waited)
            except Exception as failure:
                raise failure
        if failures:
            raise failures[0]
        wall_s = time.monotonic() - started

        summary = summarize(learners, wall_s)
        MEASUREMENTS.write_text(json.dumps(summary, indent=2) + "\n")
        print(json.dumps({k: v for k, v in summary.items() if k != "per_learner"}, indent=2))
        # Every notebook completed with its stored results.
        assert [m for learner in learners for m in learner.mismatches] == []

        # The learners who stayed idle after their lesson: the culler stops their servers.
        idle = [learner for learner in learners if learner.stays_idle]
        for learner in idle:
            wait_until(lambda learner=learner: server_state(hub, learner) is None,
                       CULL_TIMEOUT + 3 * CULL_EVERY + 120, f"the culler to stop {learner.name}'s idle server", 5)
            sampler.tracked.pop(learner.name)
        left = run(hub.engine, "ps", "--format", "{{.Names}}").stdout.split()
        assert [name for name in left if name.startswith(hub.prefix)] == []
    finally:
        # On a failure the other learners are not waited for: the hub fixture removes their containers.
        pool.shutdown(wait=False, cancel_futures=True)
        sampler.stop.set()
