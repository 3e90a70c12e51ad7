"""hoidap: cited question answering over Vietnamese plans and resolutions."""

__version__ = "0.1.0"
