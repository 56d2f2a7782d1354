"""Participants' profiles as vectors: made in the worker, read by the recommendations.

``tasks.embed_profile`` calls ``embeddings_refresh`` once a profile's texts changed (the
services enqueue it on commit); ``manage.py embed_profiles`` refreshes every profile. Pages only
read: ``stored_vectors`` loads what is stored and current, never running the model, and
leaves out a participant whose vectors are missing or stale (made from other texts or by
another model version), which the page then says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from setu.algorithms import embedding
from setu.algorithms.embedding import FieldVectors, ProfileVectors
from setu.matchmaking.models import Participant, ProfileEmbedding

BATCH = 32  # profiles embedded in one call of the model


def current_hash(participant: Participant) -> str:
    return embedding.text_hash(participant.offers, participant.needs)


def _row(participant: Participant, vectors: ProfileVectors) -> dict[str, object]:
    def mean(field: FieldVectors) -> bytes:
        return b"" if field.mean is None else embedding.to_bytes(field.mean.reshape(1, -1))

    return {
        "model_version": embedding.MODEL_VERSION,
        "text_hash": current_hash(participant),
        "offers_sentences": list(vectors.offers.sentences),
        "needs_sentences": list(vectors.needs.sentences),
        "offers_rows": embedding.to_bytes(vectors.offers.rows),
        "needs_rows": embedding.to_bytes(vectors.needs.rows),
        "offers_mean": mean(vectors.offers),
        "needs_mean": mean(vectors.needs),
    }


def stale(participants: Iterable[Participant]) -> list[Participant]:
    """Those whose stored vectors are missing or were not made from their texts by this model."""
    participants = list(participants)
    stored = dict(
        ProfileEmbedding.objects.filter(
            participant__in=[p.pk for p in participants],
            model_version=embedding.MODEL_VERSION,
        ).values_list("participant_id", "text_hash")
    )
    return [p for p in participants if stored.get(p.pk) != current_hash(p)]


def _stored_rows(participants: Sequence[Participant]) -> dict[str, embedding.Vectors]:
    """Each sentence's row as stored for these participants under this model version: an
    edited profile re-embeds only its new sentences. One query."""
    known: dict[str, embedding.Vectors] = {}
    for stored in ProfileEmbedding.objects.filter(
        participant__in=[p.pk for p in participants], model_version=embedding.MODEL_VERSION
    ):
        for sentences, data in (
            (stored.offers_sentences, stored.offers_rows),
            (stored.needs_sentences, stored.needs_rows),
        ):
            known.update(zip(sentences, embedding.from_bytes(bytes(data)), strict=True))
    return known


def embeddings_refresh(*, participant_ids: Sequence[int] | None = None, force: bool = False) -> int:
    """Make the vectors of the given participants (all, if None) whose stored ones are stale
    (every one, with ``force``), in batches; returns how many were made. Runs the model: call
    it from the worker or a command, never in a request."""
    participants = Participant.objects.order_by("pk")
    if participant_ids is not None:
        participants = participants.filter(pk__in=participant_ids)
    todo = list(participants) if force else stale(participants)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        made = embedding.embed_profiles(
            [(p.offers, p.needs) for p in batch], known=_stored_rows(batch)
        )
        with transaction.atomic():
            for participant, vectors in zip(batch, made, strict=True):
                ProfileEmbedding.objects.update_or_create(
                    participant=participant, defaults=_row(participant, vectors)
                )
    return len(todo)


def _mean_only(data: bytes) -> FieldVectors:
    mean = embedding.from_bytes(data, 1)[0] if data else None
    return FieldVectors((), embedding.from_bytes(b"", 0), mean)


def stored_vectors(participants: Sequence[Participant]) -> dict[int, ProfileVectors]:
    """The current vectors of those participants that have them, by participant id: each
    field's mean only (what the ranking reads). One query."""
    by_id = {p.pk: p for p in participants}
    rows = ProfileEmbedding.objects.filter(
        participant__in=list(by_id), model_version=embedding.MODEL_VERSION
    ).values_list("participant_id", "text_hash", "offers_mean", "needs_mean")
    return {
        pk: ProfileVectors(_mean_only(bytes(offers_mean)), _mean_only(bytes(needs_mean)))
        for pk, text_hash, offers_mean, needs_mean in rows
        if text_hash == current_hash(by_id[pk])
    }


def with_sentences(
    found: dict[int, ProfileVectors], participant_ids: Iterable[int]
) -> dict[int, ProfileVectors]:
    """``found`` with the sentences and their rows added for some participants (those shown
    with their reasons). One query."""
    wanted = [pk for pk in dict.fromkeys(participant_ids) if pk in found]
    result = dict(found)
    for stored in ProfileEmbedding.objects.filter(participant__in=wanted):
        pk = stored.participant_id
        result[pk] = ProfileVectors(
            FieldVectors(
                tuple(stored.offers_sentences),
                embedding.from_bytes(bytes(stored.offers_rows)),
                found[pk].offers.mean,
            ),
            FieldVectors(
                tuple(stored.needs_sentences),
                embedding.from_bytes(bytes(stored.needs_rows)),
                found[pk].needs.mean,
            ),
        )
    return result
