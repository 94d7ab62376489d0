"""The case families of the compile-time benchmark (generate.py writes them)."""
