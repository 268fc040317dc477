# The student edition: the lessons without stored outputs and without their solutions, in
# dist/ (git-ignored) and as a zip, ready to hand out. edition/student.py writes it.

STUDENT_DIR ?= dist/d2l-in-1-day-student

.PHONY: student test-student

student: install ## Write the student edition (no outputs, no solutions) to dist/, and its zip
	$(BIN)/python -m edition.student --notebooks $(NOTEBOOKS) --dest $(STUDENT_DIR)

test-student: student data ## Run every notebook of the student edition (nbval-lax): they run without solutions
	$(BIN)/python -m pytest -q --nbval-lax $(STUDENT_DIR)
