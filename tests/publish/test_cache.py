"""``lessons.publish.cache``: the render cache hashes files the way the data cache does."""

from __future__ import annotations

from lessons import data
from lessons.publish import cache


def test_the_data_fingerprint_and_the_render_fingerprint_share_it(tmp_path, monkeypatch):
    """Both cache keys go through ``hash_files``: replacing it changes both."""
    (tmp_path / data.DESCRIPTOR).write_text('{"resources": []}', encoding="utf-8")
    before = (data.fingerprint(tmp_path), cache.project_fingerprint(tmp_path, tmp_path))
    monkeypatch.setattr(data, "hash_files", lambda digest, files: digest)
    after = (data.fingerprint(tmp_path), cache.project_fingerprint(tmp_path, tmp_path))
    assert before[0] != after[0] and before[1] != after[1]
