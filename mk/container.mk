# The course in a container: the image (Dockerfile), its checks, and the dev container's check.
# ENGINE is scripts/container/engine.sh, which runs podman (else docker; CONTAINER_ENGINE picks)
# with this machine's settings (containers.conf, the host's extra CA certificates during builds),
# so that neither the Dockerfile nor .devcontainer/ carries anything machine-specific.

ENGINE ?= scripts/container/engine.sh
IMAGE ?= d2l-in-1-day
# More flags for `$(ENGINE) build`; `make test-image` adds --pull=never (it builds the base here).
IMAGE_BUILD_FLAGS ?=
CONTAINER_TESTS := D2L_ENGINE=$(abspath $(ENGINE)) D2L_IMAGE=$(IMAGE) $(BIN)/python -m pytest -q

.PHONY: image container-deps container-base check-image test-image test-devcontainer

image: ## Build the course image (Dockerfile: JupyterLab on 8888, MNIST inside), named IMAGE=d2l-in-1-day
	$(ENGINE) build $(IMAGE_BUILD_FLAGS) -t $(IMAGE) .

container-deps: ## As root: apt-get podman, runc and mmdebstrap for the container targets
	@sh scripts/container/deps.sh

container-base: container-deps ## Build debian:bookworm-slim from Debian's archive if the engine lacks it
	@sh scripts/container/base-image.sh $(ENGINE)

check-image: install ## Check the built image: notebooks strictly inside, JupyterLab on the host's loopback, volume
	$(CONTAINER_TESTS) tests/container/test_image.py

test-image: container-base install ## Build the image without pulling (base from Debian's archive), then check-image
	@$(MAKE) --no-print-directory image IMAGE_BUILD_FLAGS="--pull=never $(IMAGE_BUILD_FLAGS)"
	@$(MAKE) --no-print-directory check-image

DEVCONTAINER_CLI := scripts/container/devcontainer-cli/node_modules/.bin/devcontainer

$(DEVCONTAINER_CLI): scripts/container/devcontainer-cli/package.json scripts/container/devcontainer-cli/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: 'make system-deps' (or 'sudo apt-get install npm')"; exit 1; }
	cd scripts/container/devcontainer-cli && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

test-devcontainer: container-base install $(DEVCONTAINER_CLI) ## devcontainer up (Dev Container CLI) on this checkout, then make nbval inside
	D2L_DEVCONTAINER_CLI=$(abspath $(DEVCONTAINER_CLI)) $(CONTAINER_TESTS) tests/container/test_devcontainer.py
