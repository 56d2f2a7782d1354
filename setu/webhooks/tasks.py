"""The worker's part of webhooks: send deliveries, a batch per task, and retry them one by one.

``services.deliveries_for`` (the domain-event listener) enqueues ``dispatch`` with the new
deliveries' ids; ``dispatch`` splits them into batches of ``BATCH`` and queues one
``deliver_many`` each (a task of the database queue costs several queries of its own, so one
per delivery would spend more on the queue than on sending). Each delivery in a batch is still
tried, logged and judged on its own; a failed try queues its own retry (``deliver``) for later.
"""

from __future__ import annotations

from django_tasks import task

BATCH = 50


@task()
def deliver(*, delivery_id: int) -> None:
    from setu.webhooks.services import delivery_attempt

    delivery_attempt(delivery_id=delivery_id)


@task()
def deliver_many(*, delivery_ids: list[int]) -> None:
    from setu.webhooks.services import delivery_attempt

    for delivery_id in delivery_ids:
        delivery_attempt(delivery_id=delivery_id)


@task()
def dispatch(*, delivery_ids: list[int]) -> None:
    for start in range(0, len(delivery_ids), BATCH):
        deliver_many.enqueue(delivery_ids=delivery_ids[start : start + BATCH])
