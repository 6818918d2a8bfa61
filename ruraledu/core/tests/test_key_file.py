"""The key file made on first use: several processes starting at once keep one key."""

import base64
import os
import stat
from pathlib import Path

from ruraledu.core import crypto


def test_the_first_use_makes_a_private_key_file(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_KEY", raising=False)
    settings.DATA_KEY_FILE = tmp_path / "keys" / "data.key"
    key = crypto._master_key()
    assert len(key) == 32
    assert base64.b64decode(settings.DATA_KEY_FILE.read_bytes()) == key
    assert stat.S_IMODE(os.stat(settings.DATA_KEY_FILE).st_mode) == 0o600
    assert crypto._master_key() == key
    assert os.listdir(tmp_path / "keys") == ["data.key"]  # no temporary file left


def test_a_key_another_process_made_meanwhile_is_kept(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_KEY", raising=False)
    settings.DATA_KEY_FILE = tmp_path / "data.key"
    theirs = os.urandom(32)
    settings.DATA_KEY_FILE.write_bytes(base64.b64encode(theirs))
    # as if it appeared between this process's look and its write
    monkeypatch.setattr(Path, "exists", lambda self: False)
    assert crypto._master_key() == theirs
    assert base64.b64decode(settings.DATA_KEY_FILE.read_bytes()) == theirs
