"""`careforms --help` in the interface language, like every other word of the product."""

from __future__ import annotations

import pytest

from tui.cli import main


@pytest.mark.parametrize(
    ("argv", "said", "not_said"),
    [
        (["--help"], ["用法", "本机数据库所在文件夹", "显示帮助并退出"], ["usage:"]),
        (["--lang", "en", "--help"], ["usage:", "folder of the local replica"], ["用法"]),
    ],
)
def test_help_speaks_the_language_asked_for(
    argv: list[str], said: list[str], not_said: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert all(s in out for s in said) and not any(s in out for s in not_said)
