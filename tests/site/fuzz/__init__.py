"""The fuzz test of fetch → store → build (tests/site/test_fuzz_pipeline.py), in parts."""
