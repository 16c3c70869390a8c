"""make-brief on any machine: no POSIX-only module at import time, fonts from the package's own
dependencies rather than the system, themes that name no absolute path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.sources import fontfiles
from pipeline.sources.theme import builtin_templates_dir, load_theme

from .read import REPO

#: Modules Windows does not have.
POSIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource", "tty", "pty")

IMPORT_ALL = textwrap.dedent(
    """
    import sys
    for name in {blocked!r}:
        sys.modules[name] = None  # importing it now raises ImportError, as on Windows
    import pkgutil
    import pipeline
    # __main__ would run the command itself.
    names = [
        m.name
        for m in pkgutil.walk_packages(pipeline.__path__, "pipeline.")
        if not m.name.endswith("__main__")
    ]
    for name in names:
        __import__(name)
    print(len(names))
    """
)


def test_every_module_imports_without_posix_only_modules() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL.format(blocked=POSIX_ONLY)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 40  # every module of the package was imported


def test_a_build_locks_its_folder_without_fcntl_imported_before(tmp_path: Path) -> None:
    """fcntl is imported where the lock is taken, not when make-brief is imported."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from pipeline.build.outdir import OutputLock
        assert "fcntl" not in sys.modules
        with OutputLock(Path(sys.argv[1])) as lock:
            print(lock.path.read_text().strip())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().isdigit()  # the pid, for the "(pid N)" message


def test_the_builtin_theme_names_no_absolute_path() -> None:
    text = (builtin_templates_dir() / "theme.yaml").read_text(encoding="utf-8")
    assert "/usr/share" not in text
    theme = load_theme(None)
    families = (theme.body_font, theme.heading_font, theme.mono_font)
    names = [
        name for family in families for face in fontfiles.FACES for name in getattr(family, face)
    ]
    for name in [*names, *theme.fallback_fonts]:
        assert not Path(name).is_absolute(), name


@pytest.mark.parametrize("face", fontfiles.FACES)
def test_every_packaged_family_is_installed_with_make_brief(face: str) -> None:
    """Each family the theme may name comes with make-brief's dependencies, as TrueType."""
    from fontTools.ttLib import TTFont

    for family in fontfiles.FAMILIES:
        source = fontfiles.locate(family, face, ())
        assert source is not None, family
        assert source.path.is_file(), source.path
        font = TTFont(source.path, fontNumber=source.index, lazy=True)
        assert "glyf" in font, f"{family} has no TrueType outlines"  # ReportLab cannot use CFF


def test_a_theme_that_names_an_absolute_path_is_refused(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "theme.yaml").write_text(
        "fonts:\n  body: {regular: [/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="absolute path, which no other machine has"):
        load_theme(templates)


def test_a_theme_names_a_file_beside_it_or_a_system_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vera = fontfiles.locate("Vera", "regular", ())
    assert vera is not None
    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    (templates / "fonts" / "Mine.ttf").write_bytes(vera.path.read_bytes())
    system = tmp_path / "system-fonts" / "truetype"
    system.mkdir(parents=True)
    (system / "Theirs.ttf").write_bytes(vera.path.read_bytes())
    monkeypatch.setattr(fontfiles, "system_font_dirs", lambda: (tmp_path / "system-fonts",))
    fontfiles._system_font.cache_clear()

    mine = fontfiles.locate("fonts/Mine.ttf", "bold", (templates,))
    theirs = fontfiles.locate("system:Theirs.ttf", "bold", (templates,))
    assert mine is not None and mine.path == templates / "fonts" / "Mine.ttf"
    assert theirs is not None and theirs.path == system / "Theirs.ttf"
    assert fontfiles.locate("system:Nobody.ttf", "regular", (templates,)) is None
    fontfiles._system_font.cache_clear()


def test_the_shipped_faces_are_static_truetype_named_apart_from_the_originals() -> None:
    """ReportLab needs static glyf outlines, and the licence reserves the name "Source"."""
    from fontTools.ttLib import TTFont

    from pipeline.render.pdf import instances

    faces = sorted(instances.FACES_DIR.glob("*.ttf"))
    assert len(faces) == len(instances.CUTS) == 12
    assert (instances.FACES_DIR / "OFL.txt").read_text("utf-8").count("SIL Open Font") >= 1
    for path in faces:
        font = TTFont(path)
        assert "fvar" not in font and "glyf" in font, path
        names = {font["name"].getDebugName(n) for n in (1, 4, 6)}
        assert not any("Source" in name for name in names if name), (path, names)
    bold = TTFont(instances.FACES_DIR / "BriefSans-Bold.ttf")
    assert bold["OS/2"].usWeightClass == 700
    assert bold["name"].getDebugName(6) == "BriefSans-Bold"


def test_the_shipped_faces_are_what_the_instancer_cuts() -> None:
    """The faces in the package are reproducible from the font packages (the fonts extra)."""
    import importlib.util

    from pipeline.render.pdf import instances

    family, stem, package, file, location = next(c for c in instances.CUTS if "Mono-Bold" in c[1])
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, "pip install -e '.[fonts]'"
    source = Path(next(iter(spec.submodule_search_locations))) / file
    made = instances._instantiate(source.read_bytes(), location, f"mb-{stem}", family)
    assert made == (instances.FACES_DIR / f"{stem}.ttf").read_bytes()


def test_no_build_reads_a_system_font_folder() -> None:
    """The built-in theme resolves every face and fallback to make-brief's own dependencies."""
    theme = load_theme(None)
    for family in (theme.body_font, theme.heading_font, theme.mono_font):
        for face in fontfiles.FACES:
            found = next(fontfiles.candidates_in(getattr(family, face), face, theme.search_dirs))
            assert not found.path.is_relative_to("/usr/share/fonts"), found
    for name in theme.fallback_fonts:
        found = fontfiles.locate(name, "regular", theme.search_dirs)
        assert found is not None and not found.path.is_relative_to("/usr/share/fonts"), name
