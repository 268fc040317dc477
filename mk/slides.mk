# Slides: every notebook of both tracks as an offline Reveal.js deck (slides/build/ for the MXNet
# track, slides/build/pytorch/ for the PyTorch track; git-ignored), one index, their PDFs,
# and the slide tests. The decks' JavaScript comes from the npm packages pinned with integrity
# hashes in slides/package-lock.json; `npm ci` fetches them once, later runs use npm's cache.

SLIDES_JS := slides/node_modules/.package-lock.json
SLIDES_INDEX := slides/build/index.html
SLIDES_PDFS := $(patsubst notebooks/%.ipynb,slides/build/pdf/%.pdf,$(wildcard notebooks/*.ipynb)) \
	$(patsubst notebooks-pytorch/%.ipynb,slides/build/pytorch/pdf/%.pdf,$(wildcard notebooks-pytorch/*.ipynb))
SLIDES_PDF_STAMP := slides/build/pdf/.printed
SLIDES_SOURCES := $(wildcard notebooks/*.ipynb notebooks/*.css notebooks-pytorch/*.ipynb notebooks-pytorch/*.css) \
	slides/build_slides.py \
	$(wildcard slides/templates/course/*)

.PHONY: slides slides-js slides-pdf slides-check slides-test

slides-js: $(SLIDES_JS) ## Fetch the slides' pinned JavaScript into slides/node_modules (npm ci)

$(SLIDES_JS): slides/package.json slides/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: 'make system-deps' (or 'sudo apt-get install npm')"; exit 1; }
	cd slides && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

slides: $(SLIDES_INDEX) ## Render both tracks' notebooks to offline Reveal.js decks in slides/build/ (open index.html)

$(SLIDES_INDEX): $(INSTALLED) $(SLIDES_JS) $(SLIDES_SOURCES)
	$(BIN)/python -m slides.build_slides

slides-pdf: $(SLIDES_PDF_STAMP) ## Print every deck to slides/build/pdf/ with headless Chromium, one page per slide

# Printed again when a deck changed (`make slides` empties pdf/, stamp included) or a PDF is missing.
# The stamp is touched last: printing rewrites the index (with links to the PDFs) after the PDFs.
$(SLIDES_PDF_STAMP): $(SLIDES_INDEX) $(SLIDES_PDFS)
	$(BIN)/python -m slides.build_slides --pdf
	@touch $@
$(SLIDES_PDFS):

slides-check: slides ## List every slide that breaks a slide rule (type size, code lines, figures, fit), with screenshots
	$(BIN)/python -m slides.slide_rules $(DECKS)

slides-test: install ## Only the slide tests: decks and live RISE in headless Chromium, PDF page count
	$(BIN)/python -m pytest -q tests/test_slides.py tests/test_rise_live.py
