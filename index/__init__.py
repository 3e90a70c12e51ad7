"""Ingestion: files -> normalised text -> clause trees -> lexical and dense stores."""
