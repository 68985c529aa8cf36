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


def _helps(lang: str) -> dict[tuple[str, ...], list[tuple[str, str | None]]]:
    """Every argument of every command, with its help text, as `careforms` builds them."""
    import argparse

    from tui.cli import _parser
    from tui.commands.help_words import parsers

    found = {}
    for parser in parsers(_parser(lang)):
        path = tuple(parser.prog.split()[1:])
        found[path] = [
            (a.dest if not a.option_strings else a.option_strings[-1], a.help)
            for a in parser._actions
            if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction)
            and a.help != argparse.SUPPRESS
        ]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found[path] += [(c.dest, c.help) for c in action._choices_actions]
    return found


def test_every_argument_of_every_command_says_what_it_is_in_both_languages() -> None:
    import re

    chinese = re.compile(r"[\u4e00-\u9fff]")
    zh, en = _helps("zh-CN"), _helps("en")
    assert len(zh) > 20 and zh.keys() == en.keys()
    for path, arguments in zh.items():
        for (name, said), (_, english) in zip(arguments, en[path], strict=True):
            assert english, f"careforms {' '.join(path)} {name}: no help"
            assert said and chinese.search(said), f"careforms {' '.join(path)} {name}: {said}"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["due", "--help"], ["按村列出已逾期和近几天到期的事项", "向后看多少天（默认 14）"]),
        (["--lang", "en", "due", "--help"], ["look this many days ahead (default 14)"]),
        (["bundle", "in", "--help"], ["要读入的同步文件或回执文件", "用法"]),
    ],
)
def test_a_commands_help_speaks_the_language_asked_for(
    argv: list[str], said: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert all(s in out for s in said), out
