from __future__ import annotations

from django.urls import path

from omov.ballots.views import authority, booth, organiser, public, revising, trustee

app_name = "ballots"

urlpatterns = [
    path("ballots/", public.ballot_list, name="list"),
    path("ballots/new/", organiser.create, name="create"),
    path("ballots/<slug:slug>/", public.detail, name="detail"),
    path("ballots/<slug:slug>/questions/add/", organiser.add_question, name="add_question"),
    path("ballots/<slug:slug>/questions/remove/", organiser.remove_question,
         name="remove_question"),
    path("ballots/<slug:slug>/publish/", organiser.publish, name="publish"),
    path("ballots/<slug:slug>/edit/", revising.edit_draft, name="edit"),
    path("ballots/<slug:slug>/questions/<int:question_id>/edit/", revising.edit_question,
         name="edit_question"),
    path("ballots/<slug:slug>/questions/move/", revising.move_question, name="move_question"),
    path("ballots/<slug:slug>/withdraw/", revising.withdraw, name="withdraw"),
    path("ballots/<slug:slug>/reissue/", revising.reissue, name="reissue"),
    path("ballots/<slug:slug>/finish-ceremony/", organiser.finish_ceremony,
         name="finish_ceremony"),
    path("ballots/<slug:slug>/open/", organiser.open_voting, name="open"),
    path("ballots/<slug:slug>/close/", organiser.close_voting, name="close"),
    path("ballots/<slug:slug>/publish-result/", organiser.publish_result,
         name="publish_result"),
    path("ballots/<slug:slug>/end-mix/", organiser.end_mix, name="end_mix"),
    path("ballots/<slug:slug>/mix/<str:question>/input.json", public.mix_input,
         name="mix_input"),
    path("ballots/<slug:slug>/board/", public.board_page, name="board"),
    path("ballots/<slug:slug>/record.omov.jsonl", public.record_download, name="record"),
    path("ballots/<slug:slug>/results/", public.results, name="results"),
    path("ballots/<slug:slug>/results.csv", public.results_csv, name="results_csv"),
    path("ballots/<slug:slug>/manifest.json", public.manifest_download, name="manifest"),
    path("ballots/<slug:slug>/election.json", booth.election_data, name="election_data"),
    path("ballots/<slug:slug>/vote/", booth.booth, name="booth"),
    path("ballots/<slug:slug>/vote/cast/", booth.cast, name="cast"),
    path("ballots/<slug:slug>/audit/", booth.audit, name="audit"),
    path("ballots/<slug:slug>/vote/receipt/", booth.receipt, name="receipt"),
    path("ballots/<slug:slug>/trustee/", trustee.page, name="trustee"),
    path("ballots/<slug:slug>/trustee/submit/", trustee.submit, name="trustee_submit"),
    path("ballots/<slug:slug>/authority/", authority.page, name="authority"),
    path("ballots/<slug:slug>/authority/key/", authority.set_key, name="authority_key"),
    path("ballots/<slug:slug>/authority/electors.json", authority.electors,
         name="authority_electors"),
    path("ballots/<slug:slug>/authority/electors.csv", authority.electors_csv,
         name="authority_electors_csv"),
    path("ballots/<slug:slug>/authority/roll/", authority.upload_roll, name="authority_roll"),
    path("ballots/<slug:slug>/authority/revocation/", authority.upload_revocation,
         name="authority_revocation"),
]
