# The student edition: the lessons without stored outputs and without their solutions, in
# dist/ (git-ignored) and as a zip, ready to hand out. edition/student.py writes it.

STUDENT_DIR ?= dist/d2l-in-1-day-student
STUDENT_ZIP := $(STUDENT_DIR).zip

.PHONY: student test-student

student: $(STUDENT_ZIP) ## Write the student edition (no outputs, no solutions) to dist/, and its zip

# The zip is written last, so it is newer than the folder: rebuilt when a lesson changes.
$(STUDENT_ZIP): $(wildcard $(NOTEBOOKS)/[0-9][0-9]-*.ipynb $(NOTEBOOKS)/*.css) edition/student.py | $(INSTALLED)
	$(BIN)/python -m edition.student --notebooks $(NOTEBOOKS) --dest $(STUDENT_DIR)

test-student: student data ## Run every notebook of the student edition (nbval-lax): they run without solutions
	$(BIN)/python -m pytest -q --nbval-lax $(STUDENT_DIR)
