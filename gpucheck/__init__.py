"""The PyTorch track on a CUDA GPU: ``make test-gpu TRACK=pytorch`` and the offline bundle of ``make gpu-bundle``."""
