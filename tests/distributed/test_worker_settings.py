"""A worker keeps the pipelines that need no database and pushes to Redis; the ingester does the rest."""

from __future__ import annotations

from crawler.distributed.worker import INGESTER_PIPELINES, PUSH_PIPELINE, SCHEDULER, WorkerOptions, worker_settings
from crawler.runner import build_settings


def test_worker_settings_split_the_pipelines_and_use_the_leased_scheduler():
    settings = worker_settings(WorkerOptions(redis_url="redis://127.0.0.1:1/0", namespace="n1",
                                             allow_networks=["127.0.0.0/8"], idle_close_seconds=5))
    pipelines = settings.getdict("ITEM_PIPELINES")
    local = build_settings().getdict("ITEM_PIPELINES")
    assert INGESTER_PIPELINES <= set(local)  # the names the split relies on still exist
    assert not INGESTER_PIPELINES & set(pipelines)
    assert set(local) - INGESTER_PIPELINES <= set(pipelines)
    assert max(pipelines, key=pipelines.get) == PUSH_PIPELINE
    assert settings["SCHEDULER"] == SCHEDULER
    assert settings["NEWSCRAWL_REDIS_NAMESPACE"] == "n1"
    assert settings.getfloat("NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS") == 5
    assert "127.0.0.0/8" in settings.getlist("ALLOWED_NETWORKS")
