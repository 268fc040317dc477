# The course site: every lesson as an HTML page with its outputs, the worked solutions (folded),
# the decks and their PDFs, the student edition's zip and a course map, in dist/site/ (git-ignored).
# edition/site.py writes it, offline like the decks; it is rebuilt only when something it shows changed.

SITE_DIR ?= dist/site
SITE_INDEX := $(SITE_DIR)/index.html
SITE_SOURCES := $(wildcard $(NOTEBOOKS)/*.ipynb $(NOTEBOOKS)/solutions/*.ipynb) edition/site.py \
	edition/student.py $(wildcard edition/templates/site/*)

.PHONY: site

site: $(SITE_INDEX) ## Write the course site to dist/site/: lessons, solutions, decks, PDFs, student zip (open index.html)

# $$(...): the decks' and the student edition's files are named in slides.mk and student.mk,
# which make reads after this file; the second expansion sees them.
.SECONDEXPANSION:
$(SITE_INDEX): $(SITE_SOURCES) $$(SLIDES_INDEX) $$(SLIDES_PDF_STAMP) $$(STUDENT_ZIP)
	$(BIN)/python -m edition.site --notebooks $(NOTEBOOKS) --slides slides/build --student-zip $(STUDENT_ZIP) --dest $(SITE_DIR)
