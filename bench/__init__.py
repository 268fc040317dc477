"""Benchmarks of the course: MLP training throughput against peers and the machine, and notebook run time.

``make bench`` runs ``python -m bench.run``; each measurement runs in a process of its own
(the course's environment, or the separate PyTorch one), so none inherits another's threads.
"""
