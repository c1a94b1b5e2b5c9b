"""Generated sections of docs/benchmarks.md: replaced between their markers, nothing else touched."""
from bot.doc_sections import markers, replace_section, write_section

DOC = """# Benchmarks

Hand-written prose.

<!-- evaluate:start -->
evaluation table
<!-- evaluate:end -->

## Serving

Prose before.

<!-- bench:start -->
old figures
<!-- bench:end -->

Prose after.
"""


def test_markers_are_html_comments_named_after_the_section():
    assert markers("bench") == ("<!-- bench:start -->", "<!-- bench:end -->")


def test_replacing_a_section_leaves_the_other_section_and_the_prose_alone():
    new = replace_section(DOC, "bench", "new figures", "## Serving")
    assert "<!-- bench:start -->\nnew figures\n<!-- bench:end -->" in new
    assert "old figures" not in new
    assert new.replace("new figures", "old figures") == DOC


def test_replacing_is_idempotent():
    once = replace_section(DOC, "bench", "figures", "## Serving")
    assert replace_section(once, "bench", "figures", "## Serving") == once


def test_content_with_backslashes_and_group_references_is_written_literally():
    content = r"p95 \1 \g<0> C:\path"
    assert content in replace_section(DOC, "evaluate", content, "## NLU")


def test_a_missing_section_is_appended_under_its_heading():
    text = "# Benchmarks\n\nOnly prose.\n"
    new = replace_section(text, "bench", "figures", "## Serving (`make bench`)")
    assert new == "# Benchmarks\n\nOnly prose.\n\n## Serving (`make bench`)\n\n<!-- bench:start -->\nfigures\n<!-- bench:end -->\n"


def test_write_section_rewrites_the_file_and_creates_a_missing_one(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(DOC)
    write_section(path, "evaluate", "new evaluation", "## NLU")
    assert "new evaluation" in path.read_text() and "old figures" in path.read_text()
    missing = tmp_path / "new.md"
    write_section(missing, "bench", "figures", "## Serving")
    assert missing.read_text().startswith("# Benchmarks\n") and "figures" in missing.read_text()
