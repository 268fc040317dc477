"""The course's slide machinery: offline Reveal.js decks of the notebooks (see build_slides)."""
