"""neuroimmune: simulation of neuro-immune-endocrine communication."""
from ._version import __version__
