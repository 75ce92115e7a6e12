"""Trustee and credential-authority pages: only public bodies reach the server, checked."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from omov import cli
from omov.ballots import simulation, state
from omov.ballots.actions import schedule
from omov.ballots.models import BoardEntry, Phase
from omov.crypto.canonical import canonical_json
from omov.crypto.credentials import credential_secret, new_code, public_credential, sign_roll
from omov.crypto.dkg import commit, complain, deal_shares, open_share
from omov.crypto.errors import InvalidShare

from .helpers import client_for, member
from .test_ballots_helpers import closed, drafted, opened, published


def submit(client: Client, slug: str, step: str, body: object) -> tuple[int, dict[str, object]]:
    response = client.post(reverse("ballots:trustee_submit", args=[slug]),
                           json.dumps({"step": step, "body": body}),
                           content_type="application/json")
    return response.status_code, response.json()


def test_only_the_ballots_own_trustees_reach_the_trustee_page() -> None:
    election = published()
    slug = election.ballot.slug
    assert client_for(election.trustees[0]).get(
        reverse("ballots:trustee", args=[slug])).status_code == 200
    assert client_for(election.voters[0]).get(
        reverse("ballots:trustee", args=[slug])).status_code == 403
    other = published()
    assert client_for(other.trustees[0]).get(
        reverse("ballots:trustee", args=[slug])).status_code == 403


def test_a_trustee_runs_the_key_ceremony_through_the_page_endpoints() -> None:
    election = published(trustees=2, threshold=2)
    slug = election.ballot.slug
    digest = state.manifest_digest(election.ballot)
    clients = [client_for(person) for person in election.trustees]
    states = {}
    for index, client in enumerate(clients, start=1):
        states[index], body = commit(digest, index, 2, election.rng)
        assert submit(client, slug, "trustee_commitment", body) == (
            200, {"ok": True, "message": "Your commitments are on the board."})
    known = state.commitments(election.ballot)
    status, reply = submit(clients[0], slug, "trustee_shares",
                           deal_shares(states[2], known, election.rng))
    assert status == 400 and "not trustee 1's" in str(reply["error"])
    for index, client in enumerate(clients, start=1):
        assert submit(client, slug, "trustee_shares",
                      deal_shares(states[index], known, election.rng))[0] == 200
    for client in clients:
        assert submit(client, slug, "shares_checked", None)[0] == 200
    organiser = client_for(election.organiser)
    organiser.post(reverse("ballots:finish_ceremony", args=[slug]))
    ballot = election.refresh()
    assert ballot.phase == Phase.CREDENTIALS
    assert ballot.joint_key == state.joint_key(ballot).public_key.hex()


def test_a_commitment_with_a_broken_proof_is_refused_with_the_field() -> None:
    election = published()
    digest = state.manifest_digest(election.ballot)
    _, body = commit(digest, 1, election.ballot.threshold, election.rng)
    body["commitment_proofs"][1] = body["commitment_proofs"][0]
    status, reply = submit(client_for(election.trustees[0]), election.ballot.slug,
                           "trustee_commitment", body)
    assert status == 400
    assert "commitment_proofs[1]" in str(reply["error"])
    assert not BoardEntry.objects.filter(kind="trustee_commitment").exists()


def test_a_cli_made_body_can_be_uploaded_as_a_file() -> None:
    election = published()
    digest = state.manifest_digest(election.ballot)
    _, body = commit(digest, 2, election.ballot.threshold, election.rng)
    upload = SimpleUploadedFile("commitment.json", canonical_json(body), "application/json")
    response = client_for(election.trustees[1]).post(
        reverse("ballots:trustee_submit", args=[election.ballot.slug]),
        {"step": "trustee_commitment", "body_file": upload}, follow=True)
    assert "Your commitments are on the board." in response.content.decode()


def test_the_authority_uploads_only_a_public_roll_of_the_right_size() -> None:
    election = published()
    election.states = simulation.key_ceremony(election.ballot, election.rng, by=election.organiser)
    ballot = election.refresh()
    digest = state.manifest_digest(ballot)
    client = client_for(election.authority)
    csv_text = client.get(reverse("ballots:authority_electors_csv", args=[ballot.slug]))
    rows = csv_text.content.decode().splitlines()
    assert rows[0] == "member,email" and len(rows) == ballot.electors.count() + 1
    assert election.authority_machine is not None
    codes = [new_code() for _ in range(ballot.electors.count() - 1)]
    short = sign_roll(digest, election.authority_machine.secret,
                      [public_credential(credential_secret(digest, c)) for c in codes],
                      election.rng)
    url = reverse("ballots:authority_roll", args=[ballot.slug])
    response = client.post(url, canonical_json(short), content_type="application/json")
    assert response.status_code == 400
    assert "members are eligible" in response.json()["error"]
    assert client_for(election.voters[0]).post(
        url, canonical_json(short), content_type="application/json").status_code == 403
    forged = sign_roll(digest, election.rng.scalar(),
                       [public_credential(credential_secret(digest, new_code()))
                        for _ in range(ballot.electors.count())], election.rng)
    response = client.post(url, canonical_json(forged), content_type="application/json")
    assert "signature" in response.json()["error"]
    assert election.refresh().phase == Phase.CREDENTIALS


def test_results_show_totals_a_chart_and_the_verification() -> None:
    election = opened(voters=3, kinds=("yes_no", "choose"))
    for voter, picks in zip(election.voters, ([[1, 0], [1, 1, 0, 0]], [[0, 1], [0, 1, 0, 0]],
                                              [[1, 0], [0, 0, 1, 1]]), strict=True):
        simulation.vote(election.ballot, voter, election.code(voter), picks, election.rng)
    closed(election)
    slug = election.ballot.slug
    clients = {i: client_for(election.trustees[i - 1]) for i in (1, 3)}
    from omov.crypto.decryption import partial_decrypt
    from omov.crypto.dkg import receive_shares

    known = state.commitments(election.ballot)
    dealt = state.shares(election.ballot, known)
    _, tally = state.tally(election.ballot)
    for index, client in clients.items():
        share = receive_shares(election.states[index], known, dealt,
                               state.joint_key(election.ballot).qualified)
        body = partial_decrypt(share, index, bytes.fromhex(election.ballot.fingerprint), tally,
                               election.rng)
        assert submit(client, slug, "partial_decryption", body)[0] == 200
    assert election.refresh().phase == Phase.TALLIED
    client_for(election.organiser).post(reverse("ballots:publish_result", args=[slug]))
    ballot = election.refresh()
    assert ballot.totals == [[2, 1], [1, 2, 1, 1]]
    assert ballot.verified is None
    pending = Client().get(reverse("ballots:results", args=[slug])).content.decode()
    assert "The server is verifying the election record" in pending
    assert schedule.run_pending_verifications(jobs=1) == [
        f"The record of “{ballot.title}” ({slug}) passed omov verify."
    ]
    ballot = election.refresh()
    assert ballot.verified, ballot.verification_report
    page = Client().get(reverse("ballots:results", args=[slug])).content.decode()
    assert "<svg" in page and "<text" in page and ">Yes</text>" in page
    assert "every check passed" in page
    assert f"omov verify {slug}.omov.jsonl" in page


def test_a_member_cannot_act_as_trustee_or_authority() -> None:
    election = published()
    client = client_for(member("Curious Member"))
    slug = election.ballot.slug
    assert client.get(reverse("ballots:authority", args=[slug])).status_code == 403
    assert client.get(reverse("ballots:authority_electors", args=[slug])).status_code == 403
    response = client.post(reverse("ballots:trustee_submit", args=[slug]),
                           json.dumps({"step": "shares_checked", "body": None}),
                           content_type="application/json")
    assert response.status_code == 403


def test_an_upheld_complaint_disqualifies_the_dishonest_dealer() -> None:
    election = published(trustees=3, threshold=2)
    ballot = election.ballot
    slug = ballot.slug
    digest = state.manifest_digest(ballot)
    clients = {i: client_for(person) for i, person in enumerate(election.trustees, start=1)}
    states = {}
    for index, client in clients.items():
        states[index], body = commit(digest, index, 2, election.rng)
        assert submit(client, slug, "trustee_commitment", body)[0] == 200
    known = state.commitments(ballot)
    # Trustee 3 deals from a polynomial other than the one it committed to.
    cheat = replace(states[3], coefficients=(election.rng.scalar(), election.rng.scalar()))
    for index, client in clients.items():
        dealer = cheat if index == 3 else states[index]
        body = deal_shares(dealer, known, election.rng)
        assert submit(client, slug, "trustee_shares", body)[0] == 200
    dealt = state.shares(ballot, known)
    with pytest.raises(InvalidShare):
        open_share(states[1], known[3], dealt[3])
    status, reply = submit(clients[1], slug, "trustee_complaint",
                           complain(states[1], dealt[3], election.rng))
    assert status == 200 and "(upheld)" in str(reply["message"])
    for client in clients.values():
        assert submit(client, slug, "shares_checked", None)[0] == 200
    client_for(election.organiser).post(reverse("ballots:finish_ceremony", args=[slug]))
    assert state.joint_key(election.refresh()).qualified == (1, 2)


def test_the_key_ceremony_waits_for_every_trustee_to_check_their_shares() -> None:
    election = published()
    response = client_for(election.organiser).post(
        reverse("ballots:finish_ceremony", args=[election.ballot.slug]), follow=True)
    assert "have not checked their shares yet" in response.content.decode()
    assert election.refresh().phase == Phase.KEY_CEREMONY


def test_an_upload_without_a_file_says_so() -> None:
    election = published()
    response = client_for(election.trustees[0]).post(
        reverse("ballots:trustee_submit", args=[election.ballot.slug]),
        {"step": "trustee_commitment"}, follow=True)
    assert "Choose the JSON file that omov trustee wrote." in response.content.decode()


def test_a_commitment_made_by_omov_trustee_from_the_downloaded_record_is_accepted(
    tmp_path: Path,
) -> None:
    election = published()
    slug = election.ballot.slug
    client = client_for(election.trustees[0])
    record = tmp_path / f"{slug}.omov.jsonl"
    record.write_bytes(b"".join(client.get(reverse("ballots:record", args=[slug]))
                                .streaming_content))  # type: ignore[attr-defined]
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("a long enough passphrase\n")
    status = cli.main(["trustee", "keygen", "--record", str(record), "--trustee", "1",
                       "--commitment-out", str(tmp_path / "commitment.json"),
                       "--backup-out", str(tmp_path / "backup.json"),
                       "--passphrase-file", str(passphrase)])
    assert status == 0
    upload = SimpleUploadedFile("commitment.json", (tmp_path / "commitment.json").read_bytes())
    response = client.post(reverse("ballots:trustee_submit", args=[slug]),
                           {"step": "trustee_commitment", "body_file": upload}, follow=True)
    assert "Your commitments are on the board." in response.content.decode()


def test_the_authority_works_with_omov_credentials_on_its_own_machine(tmp_path: Path) -> None:
    election = drafted()
    slug = election.ballot.slug
    authority = client_for(election.authority)
    assert cli.main(["credentials", "keygen", "--out", str(tmp_path / "ca.json")]) == 0
    public_key = json.loads((tmp_path / "ca.json").read_text())["public_key"]
    authority.post(reverse("ballots:authority_key", args=[slug]), {"public_key": public_key})
    client_for(election.organiser).post(reverse("ballots:publish", args=[slug]))
    election.refresh()
    simulation.key_ceremony(election.ballot, election.rng, by=election.organiser)
    for name, file_name in (("manifest", "manifest.json"),
                            ("authority_electors_csv", "electors.csv")):
        (tmp_path / file_name).write_bytes(
            authority.get(reverse(f"ballots:{name}", args=[slug])).content)
    assert cli.main(["credentials", "generate", "--manifest", str(tmp_path / "manifest.json"),
                     "--roll", str(tmp_path / "electors.csv"),
                     "--private-out", str(tmp_path / "private.csv"),
                     "--public-out", str(tmp_path / "roll.json"),
                     "--authority-key", str(tmp_path / "ca.json")]) == 0
    upload = SimpleUploadedFile("roll.json", (tmp_path / "roll.json").read_bytes())
    response = authority.post(reverse("ballots:authority_roll", args=[slug]),
                              {"roll_file": upload}, follow=True)
    assert "Credentials are issued." in response.content.decode()
    assert election.refresh().phase == Phase.READY
