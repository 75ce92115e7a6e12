"""A result in words, from the published record: who or what won, by how much, with
turnout against any quorum, ties and the rule that breaks them.

Every figure comes from the board (the manifest, the credential roll and the
`result` entry), never from the database's copies, so the page says what
`omov verify` checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from omov.ballots.hooks import ResultRules, result_rules
from omov.ballots.models import Ballot
from omov.ballots.ranked_outcome import RankedOutcome, ranked_outcome
from omov.crypto.canonical import parse_json

SIMPLE_MAJORITY = ResultRules(quorum_percent=None, majority_percent=50.0,
                              source="the ballot's default rule (no quorum)")


@dataclass(frozen=True)
class OptionResult:
    name: str
    votes: int
    percent: float
    """Share of the counted ballots that chose this option."""


@dataclass
class QuestionOutcome:
    number: int
    text: str
    kind: str
    options: list[OptionResult]
    verdict: str
    tie: str = ""
    notes: list[str] = field(default_factory=list)
    ranked: RankedOutcome | None = None


@dataclass
class Outcome:
    counted: int
    eligible: int
    turnout_percent: float
    rules: ResultRules
    quorate: bool
    turnout_words: str
    questions: list[QuestionOutcome]


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def tie_rule() -> str:
    """How a tie is broken: a setting, since it is the organisation's rule."""
    return str(settings.OMOV_TIE_RULE)


def _yes_no(question: dict[str, Any], rows: list[OptionResult], rules: ResultRules,
            quorate: bool) -> tuple[str, str, list[str]]:
    yes, no = rows[0].votes, rows[1].votes
    decided = yes + no
    share = _percent(yes, decided)
    notes = []
    if len(rows) == 3:
        notes.append(f"{rows[2].votes} abstained; abstentions count for turnout but are "
                     "neither for nor against.")
    if decided == 0:
        return "No yes or no votes were cast: not passed.", "", notes
    majority = rules.majority_percent
    words = f"Yes: {share:.0f}% of the yes and no votes ({yes} of {decided})"
    if yes * 100 == majority * decided:
        return (f"{words}: not passed.", f"Yes and No are tied at exactly {majority:g}%: a "
                f"proposal needs more than {majority:g}%, so a tie does not pass.", notes)
    passed = share > majority
    if passed and not quorate:
        return f"{words}, but turnout is below the quorum: not passed.", "", notes
    return f"{words}: {'passed' if passed else 'not passed'}.", "", notes


def _seats(question: dict[str, Any]) -> int:
    """Block votes fill as many seats as their maximum; other kinds have one winner."""
    return int(question["max"]) if question["kind"] == "block" else 1


def _elected(question: dict[str, Any], rows: list[OptionResult]) -> tuple[str, str]:
    seats = _seats(question)
    ranked = sorted(rows, key=lambda row: -row.votes)
    if not ranked or ranked[0].votes == 0:
        return "No votes were cast for any option.", ""
    cut = ranked[seats - 1].votes if seats <= len(ranked) else 0
    sure = [row for row in ranked if row.votes > cut]
    tied = [row for row in ranked if row.votes == cut and cut > 0]
    places = seats - len(sure)
    winner_word = "Elected" if question["kind"] == "block" else "Most votes"
    if len(tied) <= places:
        names = [row.name for row in sure + tied]
        return f"{winner_word}: {', '.join(names)}.", ""
    sure_words = f"{winner_word}: {', '.join(row.name for row in sure)}. " if sure else ""
    tie = (f"{', '.join(row.name for row in tied)} are tied with {cut} votes each for "
           f"{'the last' if places == 1 else places} place{'s' if places != 1 else ''}. "
           f"{tie_rule()}")
    return f"{sure_words}Not decided by the count: a tie.", tie


def outcome(ballot: Ballot) -> Outcome | None:
    """The published result in words, or None if no result is on the board yet."""
    manifest = parse_json(ballot.board.get(index=0).line)["body"]
    result = ballot.board.filter(kind="result").order_by("-index").first()
    roll = ballot.board.filter(kind="credential_roll").order_by("index").first()
    if result is None:
        return None
    body = parse_json(result.line)["body"]
    counted = int(body["counted"])
    eligible = len(parse_json(roll.line)["body"]["credentials"]) if roll else 0
    rules = result_rules(ballot) or SIMPLE_MAJORITY
    turnout = _percent(counted, eligible)
    quorate = rules.quorum_percent is None or turnout >= rules.quorum_percent
    turnout_words = f"Turnout {turnout:.0f}%: {counted} of {eligible} eligible members voted"
    if rules.quorum_percent is None:
        turnout_words += " (no quorum applies)."
    else:
        turnout_words += (f"; the quorum is {rules.quorum_percent:g}%, "
                          f"{'reached' if quorate else 'NOT reached'}.")
    questions = []
    counts = {entry["question"]: entry for entry in body.get("counts", [])}
    for number, (question, totals) in enumerate(zip(manifest["questions"], body["totals"],
                                                    strict=True), start=1):
        if question["kind"] == "ranked":
            ranked = ranked_outcome(question["options"], counts[question["id"]])
            verdict = f"Elected: {ranked.elected}."
            if not quorate:
                verdict += " Turnout is below the quorum, so the result does not bind."
            questions.append(QuestionOutcome(number, question["text"].split("\n")[0],
                                             "ranked", [], verdict, ranked=ranked))
            continue
        rows = [OptionResult(name, int(votes), _percent(int(votes), counted))
                for name, votes in zip(question["options"], totals, strict=True)]
        notes: list[str] = []
        if question["kind"] in ("yes_no", "yes_no_abstain"):
            verdict, tie, notes = _yes_no(question, rows, rules, quorate)
        else:
            verdict, tie = _elected(question, rows)
            if not quorate:
                verdict += " Turnout is below the quorum, so the result does not bind."
        questions.append(QuestionOutcome(number, question["text"].split("\n")[0],
                                         question["kind"], rows, verdict, tie, notes))
    return Outcome(counted, eligible, turnout, rules, quorate, turnout_words, questions)
