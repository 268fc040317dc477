# The lessons' one source: lessons/NN-*.md and lessons/solutions/NN-*.md (MyST markdown, which
# jupytext reads with every cell's slide metadata). Cells tagged `mxnet` or `pytorch` belong to
# that track alone. `make notebooks` writes each track's notebooks (notebooks/ and
# notebooks-pytorch/) from them and runs those that changed, so their stored outputs are real;
# tests/test_lessons_source.py fails when a notebook drifts from its source.

.PHONY: notebooks nbval-pytorch

# The stylesheet RISE reads beside every lesson, one copy per track from lessons/rise.css.
TRACK_STYLESHEETS := notebooks/rise.css notebooks-pytorch/rise.css

notebooks: install $(TRACK_STYLESHEETS) ## Generate both tracks' notebooks from lessons/*.md and run each one that changed
	@for track in mxnet pytorch; do \
	  stale=$$(.venv/bin/python -m edition.lessons --track $$track) || exit 1; \
	  if [ -n "$$stale" ]; then echo "running ($$track): $$stale"; \
	    $(MAKE) --no-print-directory execute TRACK=$$track NB="$$stale" || exit 1; fi; \
	done

$(TRACK_STYLESHEETS): lessons/rise.css
	install -D -m 644 $< $@

nbval-pytorch: ## The PyTorch track's notebooks under nbval, in .venv-pytorch (`make test` runs it)
	@$(MAKE) --no-print-directory nbval TRACK=pytorch
