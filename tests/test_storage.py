import pytest

from herald_crawler.storage import AtomicFileFeedStorage


def test_the_export_appears_only_when_complete(tmp_path):
    final = tmp_path / "out" / "herald-1.jsonl"
    storage = AtomicFileFeedStorage(str(final))
    handle = storage.open(None)
    handle.write(b'{"a": 1}\n')
    assert not final.exists()  # a reader sees nothing while the run writes
    assert (tmp_path / "out" / ".herald-1.jsonl.part").exists()
    storage.store(handle)
    assert final.read_bytes() == b'{"a": 1}\n'
    assert not (tmp_path / "out" / ".herald-1.jsonl.part").exists()


def test_an_existing_file_is_never_appended_to_or_replaced(tmp_path):
    final = tmp_path / "herald-1.jsonl"
    final.write_text("earlier run\n")
    with pytest.raises(FileExistsError):
        AtomicFileFeedStorage(str(final)).open(None)
    storage = AtomicFileFeedStorage(str(tmp_path / "herald-2.jsonl"))
    handle = storage.open(None)
    (tmp_path / "herald-2.jsonl").write_text("appeared meanwhile\n")
    with pytest.raises(FileExistsError):
        storage.store(handle)
    assert final.read_text() == "earlier run\n"
    assert (tmp_path / "herald-2.jsonl").read_text() == "appeared meanwhile\n"
