"""The public election record: the hash-chained bulletin board and its verifier.

Pure Python; imports nothing from Django.

For the platform:

- `board.make_entry(index, kind, previous_hash, body, time) -> Entry` builds an
  entry's canonical line and hash (`Entry.line`, `Entry.hash`), stamped with
  `time` (`board.entry_time`, section 10.1); store the line, and serve the
  record as the lines joined with newlines.
  `board.parse_entry` and `board.ChainChecker` read them back.
- `election` builds the bodies of the entries the platform writes
  (`open_body`, `close_body`, `revocation_body`, `tally_body`,
  `tally_from_sums`, `result_body`) and counts a closed board with
  `count_ballots` (9.1). At cast time the platform checks each ballot with
  `omov.crypto.ballot.verify_ballot`, the verifier's own check, and the roll.
- `manifest.parse_manifest(body)` validates a manifest and gives its rules.

For auditors: `verifier.verify_record(path)` returns a `report.Report`;
`omov verify` prints it. `simulation.simulate` writes a whole election.
"""
