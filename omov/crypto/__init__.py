"""The voting protocol: ristretto255 group, ElGamal, proofs, trustees, credentials.

Pure Python over libsodium (through rbcl); imports nothing from Django.
"""
