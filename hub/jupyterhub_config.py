"""JupyterHub for a class on one machine: one course container per learner (DockerSpawner).

Run it from .venv-hub (`make hub-env`) in a directory of its own, where the hub keeps its
database and cookie secret:

    jupyterhub -f /path/to/course/hub/jupyterhub_config.py

Everything listens on this machine's loopback only: the proxy (learners' address, put an HTTPS
reverse proxy or an SSH tunnel in front of it), the hub's API, and each learner's server. The
learners' containers share the host's network namespace, so that they reach the hub's API on
127.0.0.1 and the proxy reaches each server on 127.0.0.1 at a port of its own; every request to a
server needs the hub's login for that learner. Each learner gets MEM_LIMIT and CPU_LIMIT (measured
by `make test-hub`, README "Teach a class"), a home volume of their own into which the lessons are
copied on the first start, and the course data read-only from one volume shared by all. Idle
servers are stopped by jupyterhub-idle-culler after CULL_TIMEOUT seconds.

Settings an instructor may change come from the environment (D2L_HUB_*, listed below). With
D2L_HUB_PASSWORD set, anyone may sign in with any name and that password (a trial run or a test);
without it the machine's own accounts sign in (PAM: `adduser` one per learner).
"""

import os
import sys
from pathlib import Path

from dockerspawner import DockerSpawner
from jupyterhub.utils import random_port
from traitlets import default

c = get_config()  # noqa: F821 - JupyterHub's config loader defines get_config

HERE = Path(__file__).resolve().parent

# Per learner, from the measurements in README "Teach a class" (tests/test_hub_config.py keeps
# hub/z2jh-values.yaml and the README's capacity table equal to these).
MEM_LIMIT = "1G"
MEM_GUARANTEE = "896M"
CPU_LIMIT = 1.0
CPU_GUARANTEE = 0.3
# A server with no activity for this long is stopped (its learner's files stay in their volume).
CULL_TIMEOUT = int(os.environ.get("D2L_HUB_CULL_TIMEOUT", "3600"))
CULL_EVERY = int(os.environ.get("D2L_HUB_CULL_EVERY", "300"))
# How often servers report activity and the hub reads the proxy's: well below CULL_TIMEOUT.
ACTIVITY_INTERVAL = int(os.environ.get("D2L_HUB_ACTIVITY_INTERVAL", "300"))

IMAGE = os.environ.get("D2L_HUB_IMAGE", "localhost/d2l-in-1-day")
# Names of the learners' containers and volumes: {PREFIX}-{username}, {PREFIX}-home-{username}.
PREFIX = os.environ.get("D2L_HUB_PREFIX", "d2l-learner")
# The one volume that every learner reads and none can write: the course's data (MNIST), copied
# from the image into it when the first learner starts.
SHARED_DATA_VOLUME = os.environ.get("D2L_HUB_DATA_VOLUME", "d2l-course-data")
DATA_DIR = "/opt/d2l-data"
HOME = "/home/learner"


class LoopbackDockerSpawner(DockerSpawner):
    """DockerSpawner whose containers share the host's network and serve on 127.0.0.1 only.

    Each server gets a free loopback port of its own, chosen at spawn; DockerSpawner's own
    address lookup asks the engine for a container address, which host networking has not.
    """

    @default("port")
    def _port_default(self) -> int:
        return random_port()

    async def get_ip_and_port(self) -> tuple[str, int]:
        """Where the proxy reaches the server: the host's loopback, at the port chosen for it."""
        return "127.0.0.1", self.port


# The hub and its proxy: loopback only.
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('D2L_HUB_PORT', '8000')}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('D2L_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('D2L_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.last_activity_interval = ACTIVITY_INTERVAL
c.JupyterHub.cleanup_servers = True

password = os.environ.get("D2L_HUB_PASSWORD")
if password:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = password
c.Authenticator.allow_all = True

c.JupyterHub.spawner_class = LoopbackDockerSpawner
c.DockerSpawner.image = IMAGE
c.DockerSpawner.name_template = PREFIX + "-{username}"
c.DockerSpawner.remove = True
c.DockerSpawner.network_name = "host"
# No published ports: the server listens on the shared loopback itself.
c.DockerSpawner.use_internal_ip = True
c.DockerSpawner.ip = "127.0.0.1"
c.DockerSpawner.cmd = ["/course/hub/learner-start.sh"]
c.DockerSpawner.notebook_dir = HOME
c.DockerSpawner.volumes = {
    PREFIX + "-home-{username}": HOME,
    SHARED_DATA_VOLUME: {"bind": DATA_DIR, "mode": "ro"},
}
c.DockerSpawner.mem_limit = MEM_LIMIT
c.DockerSpawner.cpu_limit = CPU_LIMIT
# The guarantees: memory the engine reclaims last, and a CPU weight relative to 1024 for one core.
c.DockerSpawner.extra_host_config = {"mem_reservation": MEM_GUARANTEE, "cpu_shares": int(1024 * CPU_GUARANTEE)}
c.DockerSpawner.environment = {"JUPYTERHUB_ACTIVITY_INTERVAL": str(ACTIVITY_INTERVAL)}
c.Spawner.default_url = "/lab/tree/lessons"
# A class signs in at once: spawns queue rather than time out on a busy machine.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 180
c.JupyterHub.concurrent_spawn_limit = 10

c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={CULL_TIMEOUT}", f"--cull-every={CULL_EVERY}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
