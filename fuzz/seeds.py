#!/usr/bin/env python3
"""Builds the fuzz seed corpus and dictionaries from the repository.

formula:    the formulas of samples/*.xlsx and tests/data/*.xlsx, the
            formula literals of the tests ("=..."), and one call of every
            Excel function the engine registers; formula.dict holds their
            names and the formula grammar's tokens.
xlsx_sheet: every worksheet of those workbooks (shared-string indices
            folded into the four strings of the fuzz package) and each
            whole workbook, plus hand-written sheets for the cell kinds
            the samples lack.
csv:        samples/*.csv, and the same rows in the encodings, delimiters
            and decimal marks the reader detects.

Usage: fuzz/seeds.py [OUT_DIR]   (default fuzz/seeds; regenerated each run)
"""

import hashlib
import html
import re
import shutil
import sys
import zipfile
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else FUZZ / "seeds"
SHARED_STRINGS_IN_PACKAGE = 4  # as in fuzz/src/lib.rs

# A Rust string literal, escapes included ("..." only, not raw strings).
RUST_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
FUNCTION_SPEC = re.compile(r'FunctionSpec::new\(\s*"([A-Z][A-Z0-9._]*)"')
FORMULA_XML = re.compile(r"<f(?:\s[^>]*)?>([^<]*)</f>")
SHARED_STRING_CELL = re.compile(r'(<c\b[^>]*\bt="s"[^>]*>\s*<v>)(\d+)(</v>)')


def save(target, data):
    """Writes one seed, named by its content as libFuzzer names units."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data:
        return
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def rust_unescape(text):
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "0": "\0"}
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
                continue
            match = re.match(r"u\{([0-9a-fA-F]+)\}", text[i + 1 :])
            if match:
                out.append(chr(int(match.group(1), 16)))
                i += 2 + len(match.group(0)) - 1
                continue
        out.append(c)
        i += 1
    return "".join(out)


def workbooks():
    return sorted(REPO.glob("samples/*.xlsx")) + sorted(REPO.glob("tests/data/*.xlsx"))


def formula_seeds():
    formulas = set()
    for book in workbooks():
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = z.read(name).decode("utf-8", "replace")
                    for text in FORMULA_XML.findall(xml):
                        if text:
                            formulas.add("=" + html.unescape(text))
    for source in sorted(REPO.glob("tests/*.rs")) + sorted(REPO.glob("src/formula/**/*.rs")):
        for literal in RUST_STRING.findall(source.read_text(encoding="utf-8")):
            text = rust_unescape(literal)
            if text.startswith("=") and len(text) > 1 and "{" not in text[:2]:
                formulas.add(text)
    names = set()
    for source in REPO.glob("src/formula/functions/**/*.rs"):
        names.update(FUNCTION_SPEC.findall(source.read_text(encoding="utf-8")))
    for name in names:
        formulas.add(f"={name}(B2:B5,1,\"a\",TRUE)")
    formulas.update(
        [
            "=SUM(Invoices[Amount])*Rate",
            "=VLOOKUP(\"ACME\",Data!A1:C5,2,FALSE)",
            "='Other Sheet'!B2/0",
            "={1,2;3,4}*2",
            "=SUM(A:A,1:1)&D3",
            "=IF(D2,C2-TODAY(),NA())%",
            "=-(-1)^0.5",
            "=LET(x,B2:B5,y,x*2,SUM(y))",
            "=@B2:B5",
        ]
    )
    for text in formulas:
        save("formula", text)
    tokens = sorted(names) + [
        "(", ")", ",", ";", ":", "!", "'", '"', "&", "%", "^", "*", "/", "+", "-",
        "=", "<>", "<=", ">=", "<", ">", "@", "#", "{", "}", "[", "]", " ",
        "TRUE", "FALSE", "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
        "#NULL!", "#SPILL!", "#CALC!", "A1", "B2:B5", "$A$1", "A:A", "A:XFD", "1:1",
        "XFD1048576", "Data!", "'Other Sheet'!", "Invoices[Amount]", "Invoices[#Headers]",
        "Invoices[[#This Row],[Amount]]", "Rate", "1E308", "4.9E-324", "-0", "1E-300",
        "0.1", "1000000000", "SEQUENCE(1E5)", "\"\"", "\"text\"",
    ]
    with open(OUT / "formula.dict", "w", encoding="utf-8") as dictionary:
        for token in tokens:
            escaped = token.replace("\\", "\\\\").replace('"', '\\"')
            dictionary.write(f'"{escaped}"\n')


HAND_MADE_SHEETS = [
    # Every cell type, a shared formula, an array formula and a merge.
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>3</v></c>'
    '<c r="C1" t="inlineStr"><is><t>inline</t></is></c><c r="D1" t="b"><v>1</v></c>'
    '<c r="E1" t="e"><v>#DIV/0!</v></c><c r="F1" t="str"><f>A1&amp;"x"</f><v>Customerx</v></c></row>'
    '<row r="2"><c r="A2" s="1"><v>46356</v></c><c r="B2" s="2"><v>0.21</v></c>'
    '<c r="C2" s="3"><v>-1234.5</v></c><c r="D2"><f t="shared" ref="D2:D4" si="0">A2+1</f><v>46357</v></c></row>'
    '<row r="3"><c r="D3"><f t="shared" si="0"/></c><c r="E3"><f t="array" ref="E3:E4">B2:B3*2</f></c></row>'
    '<row r="4"><c r="A4" t="d"><v>2026-11-30T09:00:00</v></c><c r="B4" t="n"><v>1E308</v></c></row>'
    '</sheetData><mergeCells count="1"><mergeCell ref="A5:B6"/></mergeCells>'
    '<hyperlinks><hyperlink ref="A1" location="Data!B2"/></hyperlinks></worksheet>',
    # No row and column numbers: the reader counts them.
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="s"><v>2</v></c></row>'
    "</sheetData></worksheet>",
]


def xlsx_seeds():
    for book in workbooks():
        save("xlsx_sheet", book.read_bytes())
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = z.read(name).decode("utf-8")
                    folded = SHARED_STRING_CELL.sub(
                        lambda m: m.group(1)
                        + str(int(m.group(2)) % SHARED_STRINGS_IN_PACKAGE)
                        + m.group(3),
                        xml,
                    )
                    save("xlsx_sheet", folded)
    for sheet in HAND_MADE_SHEETS:
        save("xlsx_sheet", sheet)


def csv_seeds():
    rows = [
        "Datum;Reference;Popis;Částka",
        "6.7.2026;INV-2026-001;Platba \"Acme\" s.r.o.;-1 234,50",
        "30.11.2026;INV-2026-002;Žluťoučký kůň;16503,81",
    ]
    for csv in sorted(REPO.glob("samples/*.csv")):
        save("csv", csv.read_bytes())
    semicolon = "\r\n".join(rows) + "\r\n"
    save("csv", semicolon.encode("utf-8"))
    save("csv", b"\xef\xbb\xbf" + semicolon.encode("utf-8"))
    save("csv", semicolon.encode("cp1250"))
    save("csv", semicolon.encode("utf-16"))
    save("csv", "Bank XY statement\nAccount 123/0800\n\n" + semicolon)
    save("csv", "date,amount,note\n2026-11-30,1234.50,\"a, b\"\n2026-12-01T09:00:00,-0.1,'=1+1\n")
    save("csv", "a\tb\n1\t2\n")


if __name__ == "__main__":
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    formula_seeds()
    xlsx_seeds()
    csv_seeds()
    for target in ("formula", "xlsx_sheet", "csv"):
        print(f"{target}: {len(list((OUT / target).iterdir()))} seed(s)")
