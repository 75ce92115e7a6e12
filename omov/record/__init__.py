"""The public election record: the hash-chained bulletin board and its verifier.

Pure Python; imports nothing from Django.
"""
