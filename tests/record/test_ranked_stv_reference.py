"""STV by the Scottish rules (protocol 15.6) on real council-election ballots,
stage by stage against an independent count under the same rules.

The ballots are Glasgow City Council's ward data of the 3 May 2007 council
elections (the first Scottish local elections under SSI 2007/42), and three
small constructed cases, in the BLT form in which Droop (Jonathan Lundell's
STV counting program) redistributes them. The expected stages are Droop's own
reference counts of those files under its rule `scotland` (SSI 2007/42 with
five-decimal fixed-point values). `stv_reference/droop_scotland_counts.json`
names the repository, commit and files; each BLT file is copied unchanged.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from omov.record.ranked import count_ranked, decode_value

HERE = Path(__file__).parent / "stv_reference"
REFERENCE = json.loads((HERE / "droop_scotland_counts.json").read_text())["counts"]
UNIT = 100000


@dataclass(frozen=True)
class Election:
    seats: int
    names: list[str]
    rankings: list[list[int]]


def read_blt(path: Path) -> Election:
    """A BLT file: `candidates seats`, then one line per ballot (`weight
    preferences... 0`), a lone `0`, then the candidates' names and the title,
    quoted. Every file here has no withdrawn candidates and no repeated
    preference."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
    lines = [line for line in lines if line]
    candidates, seats = map(int, lines[0].split())
    rankings: list[list[int]] = []
    end = lines.index("0")
    for line in lines[1:end]:
        weight, *preferences = map(int, line.split())
        assert preferences[-1] == 0, f"a ballot line ends in 0: {line!r}"
        ranking = [p - 1 for p in preferences[:-1]]
        assert len(set(ranking)) == len(ranking)
        rankings.extend([ranking] * weight)
    names = [" ".join(shlex.split(line)[0].split()) for line in lines[end + 1:end + 1 + candidates]]
    return Election(seats, names, rankings)


def stv(election: Election) -> dict[str, Any]:
    count = {"method": "stv", "seats": election.seats, "ties": "earlier-rounds-then-lot"}
    return count_ranked(count, election.names, election.rankings,
                        list(range(len(election.names)))).body


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_every_stage_matches_the_reference_count(case: str) -> None:
    expected = REFERENCE[case]
    election = read_blt(HERE / expected["file"])
    assert (election.seats, len(election.names)) == (expected["seats"], expected["candidates"])
    body = stv(election)
    # Droop shows one stage per transfer; a last-vacancies round transfers nothing.
    stages = [[decode_value(v) for v in round_["tallies"]]
              for round_ in body["rounds"] if round_["action"] != "last-vacancies"]
    reference = [[Fraction(v, UNIT) for v in stage]
                 for stage in expected["stage_tallies_in_hundred_thousandths"]]
    assert len(stages) == len(reference)
    for number, (ours, theirs) in enumerate(zip(stages, reference, strict=True), start=1):
        assert ours == theirs, f"{case}, stage {number}"
    assert sorted(body["elected"]) == expected["elected"]


def test_the_govan_count_elects_the_four_councillors_declared_in_2007() -> None:
    body = stv(read_blt(HERE / "Govan-2007.blt"))
    names = read_blt(HERE / "Govan-2007.blt").names
    assert body["quota"] == 1913
    assert sorted(names[c] for c in body["elected"]) == [
        "Allison Hunter", "John Flanagan", "Shaukat Butt", "Stephen Dornan"]
    assert names[body["elected"][0]] == "Allison Hunter"  # over the quota on first preferences

