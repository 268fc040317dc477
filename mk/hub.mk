# A class on JupyterHub (hub/): the hub's own environment, its lock, and the loopback load test.
# JupyterHub, DockerSpawner and the idle culler live in .venv-hub (requirements-hub.lock,
# hash-checked), configurable-http-proxy in hub/node_modules (npm ci, integrity-checked): never in
# the course's .venv. The course image gets jupyterhub-singleuser of the same version from
# hub/requirements-singleuser.lock (Dockerfile).

HUB_VENV ?= .venv-hub
HUB_BIN := $(HUB_VENV)/bin
HUB_INSTALLED := $(HUB_VENV)/.hub-installed
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy
# The load test: HUB_LEARNERS learners sign in at once; the first runs the whole course
# (HUB_WHOLE_COURSE=0: lesson 01), every HUB_LESSON06_EVERY-th lesson 06 (0: none), the others
# lesson 01 (README "Teach a class" has the measured figures). CI runs 3 learners, lesson 01 only.
HUB_LEARNERS ?= 8
HUB_LESSON06_EVERY ?= 4
HUB_WHOLE_COURSE ?= 1
HUB_TESTS := D2L_ENGINE=$(abspath $(ENGINE)) D2L_IMAGE=$(IMAGE) D2L_HUB_BIN=$(abspath $(HUB_BIN)) \
	D2L_HUB_LEARNERS=$(HUB_LEARNERS) D2L_HUB_LESSON06_EVERY=$(HUB_LESSON06_EVERY) \
	D2L_HUB_WHOLE_COURSE=$(HUB_WHOLE_COURSE) $(BIN)/python -m pytest -q

.PHONY: hub-env lock-hub test-hub check-hub

hub-env: $(HUB_INSTALLED) $(HUB_PROXY) ## Create .venv-hub (JupyterHub, DockerSpawner, idle culler) and hub/node_modules (proxy)

$(HUB_INSTALLED): requirements-hub.lock
	@test -x $(HUB_BIN)/python || $(PYTHON) -m venv $(HUB_VENV)
	$(HUB_BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-hub.lock
	@touch $@

$(HUB_PROXY): hub/package.json hub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: 'make system-deps' (or 'sudo apt-get install npm')"; exit 1; }
	cd hub && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

lock-hub: $(UV) ## Re-resolve requirements-hub.txt and the image's jupyterhub-singleuser (pinned, hashed)
	$(UV) pip compile requirements-hub.txt $(LOCK_FLAGS) --output-file requirements-hub.lock
	$(UV) pip compile requirements.txt hub/requirements-singleuser.txt -c requirements.lock $(LOCK_FLAGS) \
	  --output-file hub/requirements-singleuser.lock

check-hub: install hub-env ## Run the hub load test against the built image (HUB_LEARNERS=8; minutes)
	$(HUB_TESTS) -s tests/container/test_hub.py

test-hub: container-base install hub-env ## Build the image, then the hub load test: learners sign in, run lessons, get culled
	@$(MAKE) --no-print-directory image IMAGE_BUILD_FLAGS="--pull=never $(IMAGE_BUILD_FLAGS)"
	@$(MAKE) --no-print-directory check-hub
