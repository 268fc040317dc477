# Mutation testing: mutmut changes d2l_utils one small edit at a time (a flipped comparison, a
# changed constant, a dropped argument) and runs the fast unit tests that cover the edited
# function; a mutant that no test notices points at a missing test. mutmut lives in its own
# virtualenv, .venv-mutation (the course's locked packages plus requirements-mutation.txt), and
# works on a copy of the code in mutants/ (both git-ignored). Not part of `make test`.

MUTATION_VENV ?= .venv-mutation
MUTATION_BIN := $(MUTATION_VENV)/bin
MUTATION_INSTALLED := $(MUTATION_VENV)/.mutation-installed
# Parallel test processes; the course's reference machine has 2 cores.
MUTATION_JOBS ?= 2

.PHONY: mutation mutation-env mutation-results

mutation-env: $(MUTATION_INSTALLED) ## Create .venv-mutation: the course's packages and mutmut (hash-checked)

$(MUTATION_INSTALLED): requirements.lock requirements-mutation.txt
	@test -x $(MUTATION_BIN)/python || $(PYTHON) -m venv $(MUTATION_VENV)
	$(MUTATION_BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r requirements.lock -r requirements-mutation.txt
	@touch $@

mutation: install data mutation-env ## Mutation-test d2l_utils against the fast unit tests (minutes; see README)
	rm -rf mutants
	D2L_DATA_DIR=$(abspath data/mnist) MPLBACKEND=Agg $(MUTATION_BIN)/mutmut run --max-children $(MUTATION_JOBS)
	@$(MAKE) --no-print-directory mutation-results

mutation-results: ## Summary of the last `make mutation`: the score, then every mutant no test caught
	@$(MUTATION_BIN)/mutmut export-cicd-stats >/dev/null
	@$(MUTATION_BIN)/mutmut results
	@$(MUTATION_BIN)/python tests/mutation_summary.py mutants/mutmut-cicd-stats.json
