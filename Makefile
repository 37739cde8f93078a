# Shortcuts for dev.py (which needs only Python 3.11+).
.PHONY: run chat test bench setup
run chat test bench setup:
	python3 dev.py $@
