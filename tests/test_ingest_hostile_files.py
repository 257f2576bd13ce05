"""Hostile and oversized files are refused before a parser sees them, each with one sentence
an admin can act on; links out of the knowledge folder are never followed; documents that
make no passage or too many are reported as failed instead of "added"."""

from __future__ import annotations

import base64
import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from ingest.documents import LoadError
from ingest.loaders import load_file
from ingest.pipeline import run_ingest
from replikasi.index import KnowledgeIndex
from replikasi.settings import Settings

# Far above the milliseconds these checks take; far below the minutes the quadratic HTML
# walk took: a guard against the blow-up coming back, not a timing target.
GENEROUS_SECONDS = 20


def docx_bytes(document_xml: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word package around `document_xml`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package'
            '/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org'
            '/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refused(path: Path) -> str:
    started = time.perf_counter()
    with pytest.raises(LoadError) as raised:
        load_file(path, path.parent)
    assert time.perf_counter() - started < GENEROUS_SECONDS
    reason = raised.value.reason
    assert "\n" not in reason and "Traceback" not in reason and str(path.parent) not in reason
    return reason


def test_docx_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bytes(b"<w:document/>", extra={"word/media/pad.bin": bytes(64 << 20)}))
    assert bomb.stat().st_size < 1 << 20
    assert "built to exhaust the server" in refused(bomb)


def test_docx_inflating_past_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.docx"
    big.write_bytes(docx_bytes(b"<w:document/>", extra={"word/media/a.bin": os.urandom(1 << 20)}))
    layout = base64.b64encode(os.urandom(31 << 20))  # 41 MB that compresses like real XML
    with zipfile.ZipFile(big, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/styles.xml", b"<w:styles>" + layout + b"</w:styles>")
    assert "split it into several documents" in refused(big)


def test_docx_with_an_empty_text_part_says_it_is_damaged(
    settings: Settings, tmp_path: Path, fake_embedding
) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "rusak.docx").write_bytes(docx_bytes(b""))
    (knowledge / "baik.md").write_text("# Baik\n\nDokumen yang baik.\n")
    report = run_ingest(settings, embedding=fake_embedding)
    [(path, reason)] = report.failed
    assert path == "rusak.docx"
    assert reason.startswith("the Word document is damaged")
    assert "Document is empty" not in reason and str(tmp_path) not in reason


@pytest.mark.parametrize("wrapper", ["div", "div class='sidebar'", "p"])
def test_deeply_nested_html_is_refused_quickly(tmp_path: Path, wrapper: str) -> None:
    name = wrapper.split()[0]
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body>" + f"<{wrapper}>" * 20_000 + "teks" + f"</{name}>" * 20_000 + "</body>"
    )
    assert "levels deep" in refused(page)


def test_html_with_too_many_elements_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text("<html><body>" + "<span>x</span>" * 120_000 + "</body></html>")
    assert "HTML elements" in refused(page)


def test_ordinary_nested_html_still_loads(tmp_path: Path) -> None:
    page = tmp_path / "ok.html"
    page.write_text(
        "<html><body><main>"
        + "<div>" * 40
        + "<p>Isi artikel tentang inovasi daerah.</p>"
        + "</div>" * 40
        + "<br><img src=x><script>var a = '<div><div>';</script></main></body>"
    )
    [document] = load_file(page, tmp_path)
    assert "Isi artikel" in document.text


def test_deep_json_and_yaml_are_refused(tmp_path: Path) -> None:
    deep_json = tmp_path / "deep.json"
    deep_json.write_text("[" * 100_000 + "]" * 100_000)
    assert "flatten it" in refused(deep_json)
    flow_yaml = tmp_path / "flow.yaml"
    flow_yaml.write_text("items: " + "[" * 5_000 + "]" * 5_000)
    assert "flatten it" in refused(flow_yaml)
    block_yaml = tmp_path / "block.yaml"
    block_yaml.write_text("".join(f"{' ' * level}k{level}:\n" for level in range(200)) + " x")
    assert "flatten it" in refused(block_yaml)
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps({"items": [{"name": "[KIPP] {2023}", "summary": "Ringkasan."}]}))
    assert load_file(fine, tmp_path)[0].title == "[KIPP] {2023}"


def test_huge_text_is_refused_before_it_is_read(
    settings: Settings, tmp_path: Path, fake_embedding
) -> None:
    knowledge = settings.knowledge_dir
    knowledge.mkdir()
    with (knowledge / "huge.txt").open("wb") as handle:
        handle.truncate(30 << 20)  # 30 MB (sparse: nothing is written)
    (knowledge / "ok.md").write_text("# OK\n\nDokumen kecil.\n")
    started = time.perf_counter()
    report = run_ingest(settings, embedding=fake_embedding)
    assert time.perf_counter() - started < GENEROUS_SECONDS
    [(path, reason)] = report.failed
    assert path == "huge.txt"
    assert "MAX_CHUNKS_PER_DOCUMENT (2,000)" in reason and "split it" in reason
    assert report.added == ["ok.md"]


def test_document_over_the_chunk_limit_is_refused_and_its_old_version_kept(
    settings: Settings, tmp_path: Path, fake_embedding
) -> None:
    knowledge = settings.knowledge_dir
    knowledge.mkdir()
    doc = knowledge / "pedoman.md"
    doc.write_text("# Pedoman\n\nVersi pertama yang pendek.\n")
    assert run_ingest(settings, embedding=fake_embedding).added == ["pedoman.md"]
    paragraphs = "\n\n".join(f"## Bagian {i}\n\n" + "Kalimat isi. " * 100 for i in range(30))
    doc.write_text("# Pedoman\n\n" + paragraphs)
    limited = settings.model_copy(update={"max_chunks_per_document": 10})
    report = run_ingest(limited, embedding=fake_embedding)
    [(path, reason)] = report.failed
    assert path == "pedoman.md" and "more than MAX_CHUNKS_PER_DOCUMENT (10)" in reason
    assert not report.changed
    [indexed] = KnowledgeIndex.open(settings).documents()
    assert indexed.doc_id == "pedoman.md" and indexed.chunks == 1  # the short version answers


def test_catalogue_rows_with_only_a_name_fail_and_reingest_says_no_change(
    settings: Settings, tmp_path: Path, fake_embedding
) -> None:
    knowledge = settings.knowledge_dir
    knowledge.mkdir()
    (knowledge / "katalog.csv").write_text(
        "nama,ringkasan\nSi Cepat,Layanan izin kilat di Kabupaten Contoh.\nHanya Nama,\n"
    )
    first = run_ingest(settings, embedding=fake_embedding)
    assert first.added == ["katalog/si-cepat"]
    assert first.failed == [
        ("katalog.csv: 'Hanya Nama'", "the entry has nothing but its name; add a summary or "
         "remove it")
    ]  # fmt: skip
    again = run_ingest(settings, embedding=fake_embedding)
    assert not again.changed and again.added == [] and again.unchanged == ["katalog/si-cepat"]


def test_links_out_of_the_knowledge_folder_are_not_followed(
    settings: Settings, tmp_path: Path, fake_embedding
) -> None:
    knowledge = settings.knowledge_dir
    (knowledge / "sub").mkdir(parents=True)
    (knowledge / "profil.md").write_text("# Profil\n\nProfil inovasi daerah.\n")
    (knowledge / "passwd.txt").symlink_to("/etc/passwd")
    secret = tmp_path / "rahasia.md"
    secret.write_text("# Rahasia\n\nIsi di luar folder.\n")
    (knowledge / "sub" / "rahasia.md").symlink_to(secret)
    (knowledge / "alias.md").symlink_to(knowledge / "profil.md")  # inside: read once
    report = run_ingest(settings, embedding=fake_embedding)
    assert sorted(path for path, _ in report.failed) == ["passwd.txt", "sub/rahasia.md"]
    assert all("outside the knowledge folder" in reason for _, reason in report.failed)
    indexed = {doc.doc_id for doc in KnowledgeIndex.open(settings).documents()}
    assert indexed == {"profil.md"}  # the link inside the folder is not read a second time
    chunks = KnowledgeIndex.open(settings).active()
    assert chunks is not None
    assert not any("root:" in text for text in chunks.get()["documents"])


def test_a_document_indexed_through_a_link_leaves_the_index(
    settings: Settings, tmp_path: Path, fake_embedding
) -> None:
    knowledge = settings.knowledge_dir
    knowledge.mkdir()
    (knowledge / "lain.md").write_text("# Lain\n\nDokumen lain.\n")
    outside = tmp_path / "luar"
    outside.mkdir()
    (outside / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    # Indexed through a link before links were checked (here: named explicitly, which is
    # allowed), then found again through a link that leads out of the folder.
    run_ingest(settings, [outside / "passwd.txt"], embedding=fake_embedding)
    (knowledge / "passwd.txt").symlink_to(outside / "passwd.txt")
    report = run_ingest(settings, embedding=fake_embedding)
    assert report.removed == ["passwd.txt"]
    assert {d.doc_id for d in KnowledgeIndex.open(settings).documents()} == {"lain.md"}


def test_a_dangling_link_leaves_the_index(
    settings: Settings, tmp_path: Path, fake_embedding
) -> None:
    knowledge = settings.knowledge_dir
    (knowledge / "arsip").mkdir(parents=True)
    target = knowledge / "arsip" / "asli.md"
    target.write_text("# Asli\n\nDokumen asli.\n")
    (knowledge / "pintasan.md").symlink_to(target)
    (knowledge / "lain.md").write_text("# Lain\n\nDokumen lain.\n")
    first = run_ingest(settings, embedding=fake_embedding)
    assert first.added == ["arsip/asli.md", "lain.md"]  # the file itself, not twice via its link
    target.unlink()
    report = run_ingest(settings, embedding=fake_embedding)
    assert report.removed == ["arsip/asli.md"] and not report.failed
