"""The count in plain words, line by line, for result pages and `omov verify`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from omov.record.ranked.result import RankedResult, decode_value
from omov.record.ranked.words import amount, name, names

_TIE_KINDS = {"exclusion": "exclusion", "surplus-order": "which surplus goes first",
              "election-order": "the order of election", "winner": "the winner"}


def summary(result: RankedResult) -> list[str]:
    """One line for the rule and quota, one per round, one for the outcome."""
    body, options = result.body, result.options
    lines = [_heading(body)]
    previous: list[Any] | None = None
    for record in body["rounds"]:
        if body["method"] == "schulze":
            lines.append(_schulze_round(record, options))
        else:
            lines.append(_transfer_round(body, record, previous, options))
            previous = record["tallies"]
    lines.append(f"Elected: {names(options, body['elected'])}.")
    for group in body.get("balance", []):
        lines.append(f"Balance rule \"{group['label']}\": at least {group['at_least']} "
                     f"(required {group['required']}); {group['elected']} elected.")
    return lines


def _heading(body: dict[str, Any]) -> str:
    counted = (f"{body['valid']:,} ranking(s) counted, {body['blank']:,} blank")
    if body["method"] == "stv":
        return (f"Scottish STV (SSI 2007/42, Schedule 1, rules 45-52), {body['seats']} "
                f"seat(s): {counted}; quota {body['quota']:,} "
                f"(floor({body['valid']:,} / {body['seats'] + 1}) + 1).")
    if body["method"] == "irv":
        return f"Instant-runoff voting, 1 seat: {counted}."
    return (f"Schulze method (winning votes), {body['seats']} seat(s), repeated without "
            f"the winners: {counted}.")


def _transfer_round(body: dict[str, Any], record: dict[str, Any], previous: list[Any] | None,
                    options: Sequence[str]) -> str:
    action, number = record["action"], record["round"]
    tallies = record["tallies"]
    moved = record["candidates"]
    if action == "first-preferences":
        shown = [f"{options[c]} {amount(v)}" for c, v in enumerate(tallies)]
        text = f"Round {number}: first preferences: {', '.join(shown)}."
    elif action == "surplus":
        values = ", ".join(amount(t["transfer_value"]) for t in record["transfer_values"])
        text = (f"Round {number}: {name(options, moved[0])}'s surplus of "
                f"{amount(record['surplus'])} transferred at transfer value(s) {values}: "
                f"{_transfers(record, options)}.")
    elif action == "last-vacancies":
        text = (f"Round {number}: as many continuing candidates as seats left: "
                f"{names(options, moved)} elected.")
        return text + _ties(record, options)
    else:
        held = sum((decode_value(previous[c]) for c in moved), decode_value(0)) if previous else 0
        if action == "balance-exclusion":
            text = (f"Round {number}: every seat left is owed to a balance group: "
                    f"{names(options, moved)} excluded") + _outvoted(body, record, previous,
                                                                     options)
        else:
            protected = any(step["kind"] == "protected" for step in record.get("balance", []))
            lowest = "lowest not protected" if protected else "lowest"
            text = f"Round {number}: {names(options, moved)} excluded ({lowest}"
            text += f", {amount(held)} votes)" if previous else ")"
        text += f"; {amount(held)} votes transferred: {_transfers(record, options)}."
    text += _ties(record, options) + _balance(body, record, options)
    elected = record["elected"]
    if elected and action != "last-vacancies":
        detail = ", ".join(f"{options[c]} ({amount(tallies[c])} votes)" for c in elected)
        if "quota" in body:
            text += f" Elected: {detail}, reaching the quota of {body['quota']:,}."
        else:
            text += (f" Elected: {detail}, more than half of the "
                     f"{record['continuing_votes']:,} continuing votes.")
    return text


def _outvoted(body: dict[str, Any], record: dict[str, Any], previous: list[Any] | None,
              options: Sequence[str]) -> str:
    """After a balance exclusion: the candidates the rule elects although they held fewer
    votes than every candidate it excluded (the rule biting), with their votes."""
    moved = record["candidates"]
    if not previous or not moved:
        return ""
    before = {c for r in body["rounds"] if r["round"] < record["round"] for c in r["elected"]}
    least = min(decode_value(previous[c]) for c in moved)
    fewer = [c for c in body["elected"] if c not in before and c not in moved
             and isinstance(c, int) and 0 <= c < len(previous)
             and decode_value(previous[c]) < least]
    if not fewer:
        return ""
    held = " and ".join(f"{amount(previous[c])}" for c in moved)
    labels = [f"{options[c]} ({amount(previous[c])})" for c in fewer]
    who = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    verb = "is" if len(fewer) == 1 else "are"
    return f" with {held} votes, more than {who}, who {verb} elected by the balance rule"


def _transfers(record: dict[str, Any], options: Sequence[str]) -> str:
    parts = [f"{amount(v)} to {options[c]}" for c, v in enumerate(record["received"])
             if decode_value(v) != 0]
    if "non_transferable" in record:
        stop = record["non_transferable"]
        papers = "1 paper" if stop["papers"] == 1 else f"{stop['papers']:,} papers"
        parts.append(f"{amount(stop['value'])} non-transferable ({papers})")
        if decode_value(record["rounding"]) != 0:
            parts.append(f"{amount(record['rounding'])} lost to truncation")
    else:
        parts.append(f"{record['exhausted']:,} exhausted")
    return ", ".join(parts)


def _ties(record: dict[str, Any], options: Sequence[str]) -> str:
    text = ""
    for tie in record["ties"]:
        how = (f"broken by the votes at the end of round {tie['round']}" if tie["by"] == "round"
               else f"broken by lot among {names(options, tie['lot_among'])}")
        text += (f" Tie for {_TIE_KINDS.get(tie['kind'], tie['kind'])} between "
                 f"{names(options, tie['candidates'])}: {how}; "
                 f"{name(options, tie['chosen'])} chosen.")
    return text


def _balance(body: dict[str, Any], record: dict[str, Any], options: Sequence[str]) -> str:
    text = ""
    for step in record.get("balance", []):
        groups = " and ".join(f"\"{body['balance'][g]['label']}\"" for g in step["groups"])
        who = names(options, step["candidates"])
        if step["kind"] == "protected":
            text += (f" {who} not excluded: the balance rule {groups} still needs "
                     f"{'them' if len(step['candidates']) > 1 else 'this candidate'}.")
        elif step["kind"] == "not-elected":
            text += (f" {who} reached the quota but is not elected: the seats left are owed "
                     f"to {groups}.")
        else:
            text += (f" The {step['seats_left']} seat(s) left are all owed to {groups}, "
                     "so every other candidate is excluded.")
    return text


def _schulze_round(record: dict[str, Any], options: Sequence[str]) -> str:
    text = (f"Round {record['round']}: among {names(options, record['continuing'])}, "
            f"Schulze winner(s) {names(options, record['winners'])}")
    text += f"; {name(options, record['elected'][0])} elected."
    return text + _ties(record, options)
