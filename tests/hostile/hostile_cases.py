# ruff: noqa: RUF001  (look-alike letters from other scripts are the point of these cases)
"""The hostile cases, as data: texts, byte sequences, byte-order marks, JSON values and lines,
HTML pages and file names. :mod:`hostile_corpus` writes them into files."""

from __future__ import annotations

import json

# Team-written articles; each good input uses one, with its own id.
GOOD_TEXTS = [
    "Harbour Plan Approved\n\nThe council approved the harbour plan on Monday.\n"
    "Critics said the cost would ruin the town, but the mayor called it a fair deal.",
    "Ferry Returns After Ten Years\n\nThe old ferry is back on the river.\n"
    '"This is a great day for everyone," a resident told reporters at the pier.',
    "Library Hours Cut\n\nThe city library will close on Sundays from next month.\n"
    "Officials insisted the decision was final; parents started a petition.",
    "School Budget Rises\n\nSpending on schools rose by four percent last year.\n"
    "Teachers welcomed the news, although class sizes have not changed.",
    "Bridge Repairs Begin\n\nWorkers closed the north bridge for repairs on Friday.\n"
    "Drivers were told to expect delays of up to twenty minutes until spring.",
    "New Park Opens\n\nA new park opened beside the river with a playground.\n"
    "Neighbours said it was the best thing to happen to the district in years.",
    "Market Moves Indoors\n\nThe weekly farmers market moves into the old hall in winter.\n"
    "Stall holders said the change would keep customers coming in the cold.",
    "Tram Line Extended\n\nThe tram line now reaches the airport, two years late.\n"
    "Commuters praised the link, while critics pointed to the doubled budget.",
    "Museum Wins Award\n\nThe town museum won a national prize for its new gallery.\n"
    "The director thanked volunteers who restored the old ship models.",
    "Snow Closes Roads\n\nHeavy snow closed three mountain roads overnight.\n"
    "Police asked drivers to stay at home unless their journey was essential.",
]

# Characters that show nothing: a text made only of them is empty.
INVISIBLE = [
    "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
    "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u2800", "\u3164",
    "\u115f", "\u034f", "\ufe0f", "\u200e", "\u200f", "\u202e", "\u2066", "\u0085", "\x0b",
    "\x0c", "\x1c", "\U000e0020", "\u061c",
]  # fmt: skip

# Text that readers must keep and the text component must get through quickly.
ODD_TEXTS = {
    "rtl_arabic": "خبر عاجل\n\nقال رئيس البلدية إن الخطة ناجحة. وافق السكان على ذلك.",
    "rtl_hebrew": "חדשות\n\nראש העיר אמר שהתוכנית מצליחה.",
    "bidi_override": "Invoice \u202egnp.exe\u202c paid.\n\nThe \u2067mayor\u2069 said so.",
    "mixed_direction": "Report: الخطة ناجحة and שלום said the \u200fmayor\u200e today.",
    "zalgo": "Z" + "\u0301\u0302\u0303\u0304\u0305" * 200 + "algo text here.",
    "emoji_zwj": "Family 👨\u200d👩\u200d👧\u200d👦 and flags 🇺🇦🇪🇺 " * 20,
    "astral": "𝕿𝖍𝖊 𝖒𝖆𝖞𝖔𝖗 𝖘𝖆𝖎𝖉 𐍈𐌰 " * 30,
    "private_use": "\ue000\ue001\uf8ff text with private use \U000f0000 characters.",
    "noncharacters": "Text with \ufffe and \uffff and \U0010ffff noncharacters.",
    "replacement_only": "\ufffd" * 50,
    "ansi_escape": "Breaking \x1b[31mRED\x1b[0m news\x1b]0;title\x07 here.\n\nMore.",
    "control_chars": "A\x01B\x02C\x03\x04\x05\x06\x07\x08 text\x7f with \x9b controls.",
    "cr_only": "Title\r\rFirst line.\rSecond line.\rThird.",
    "separators": "One\u2028Two\u2029Three\x85Four\x0bFive\x0cSix.",
    "crlf": "Title\r\n\r\nBody line one.\r\nBody line two.\r\n",
    "one_long_word": "x" * 20000,
    "many_quotes": '"' * 500 + " said nobody " + "\u201c\u201d" * 250,
    "brackets": "[" * 1500 + "]" * 1500,
    "punctuation": "!?.,;:" * 400,
    "many_lines": "\n".join(f"Line {n}." for n in range(1500)),
    "many_blank_lines": "Title" + "\n" * 5000 + "Body.",
    "tabs": "\t".join(["cell"] * 500),
    "nul_escaped_lookalike": "Backslash zero \\0 and \\x00 written out.",
    "html_in_text": "<script>alert(1)</script><img src=x onerror=alert(2)> & &amp;",
    "json_in_text": '{"id": 1, "text": "nested"}',
    "combining_only": "\u0301\u0302\u0303" * 100,
    "ideographic": "市议会周一批准了港口计划。" * 40,
    "devanagari": "नगर परिषद ने योजना को मंजूरी दी। " * 30,
    "thai_no_spaces": "สภาเมืองอนุมัติแผนท่าเรือเมื่อวันจันทร์" * 30,
    "variation_selectors": "A\ufe00B\ufe01C\U000e0100D text.",
    "tag_characters": "Flag \U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "gbsct") + ".",
}

# Byte sequences no UTF-8 decoder accepts, and mixtures of encodings.
BAD_BYTES = {
    "lone_continuation": b"Text \x80\x81\xbf here.",
    "overlong_slash": b"Path \xc0\xaf and \xe0\x80\xaf.",
    "utf8_surrogate": b"Surrogate \xed\xa0\x80 encoded.",
    "five_byte": b"Old \xf8\x88\x80\x80\x80 form.",
    "truncated_end": b"Ends inside a character \xe2\x82",
    "latin1": "Caf\u00e9 na\u00efve \u00fcber se\u00f1or.".encode("latin-1"),
    "cp1252": "\u201cQuoted\u201d \u2013 dash \u20ac sign.".encode("cp1252"),
    "shift_jis": "市議会は港湾計画を承認した。".encode("shift_jis"),
    "gb18030": "市议会批准了港口计划。".encode("gb18030"),
    "koi8r": "Городской совет одобрил план.".encode("koi8-r"),
    "mixed_lines": "UTF-8 line: caf\u00e9\n".encode()
    + "Latin-1 line: caf\u00e9\n".encode("latin-1"),
    "ff_bytes": b"\xff" * 300,
    "above_unicode": b"\xf4\x90\x80\x80 beyond U+10FFFF.",
}

BOM_TEXT = "Bom Test\n\nThe council approved the plan. Residents cheered loudly."
# Byte-order marks; the good ones (UTF-16/32) are read, the others decode as UTF-8 with U+FFFD.
BOMS = {
    "utf8": b"\xef\xbb\xbf" + BOM_TEXT.encode(),
    "utf16le": BOM_TEXT.encode("utf-16"),  # Python writes the little-endian mark
    "utf16be": b"\xfe\xff" + BOM_TEXT.encode("utf-16-be"),
    "utf32le": BOM_TEXT.encode("utf-32"),
    "utf32be": b"\x00\x00\xfe\xff" + BOM_TEXT.encode("utf-32-be"),
    "utf16le_odd_length": BOM_TEXT.encode("utf-16") + b"\x41",
    "utf16le_lone_surrogate": b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8",
    "utf32le_above_unicode": b"\xff\xfe\x00\x00" + b"\x00\x00\x11\x00" * 3,
    "utf32le_surrogate": b"\xff\xfe\x00\x00" + b"\x00\xd8\x00\x00",
    "utf16_no_bom": BOM_TEXT.encode("utf-16-le"),
    "utf7": b"+/v8" + BOM_TEXT.encode(),
    "utf1": b"\xf7\x64\x4c" + BOM_TEXT.encode(),
    "utf_ebcdic": b"\xdd\x73\x66\x73" + BOM_TEXT.encode(),
    "scsu": b"\x0e\xfe\xff" + BOM_TEXT.encode(),
    "bocu1": b"\xfb\xee\x28" + BOM_TEXT.encode(),
    "gb18030_bom": b"\x84\x31\x95\x33" + BOM_TEXT.encode("gb18030"),
    "bom_only_utf8": b"\xef\xbb\xbf",
    "bom_only_utf16": b"\xff\xfe",
    "bom_only_utf32": b"\xff\xfe\x00\x00",
    "two_boms": b"\xef\xbb\xbf\xef\xbb\xbf" + BOM_TEXT.encode(),
}

# Values put in every JSONL field in turn: wrong types, broken strings, huge numbers.
FIELD_VALUES: dict[str, str] = {
    "lone_high": '"a\\ud800b"',
    "lone_low": '"\\udfff"',
    "reversed_pair": '"\\ude00\\ud83d"',
    "int": "5",
    "float": "1.5",
    "huge_float": "1e400",
    "bool": "true",
    "null": "null",
    "list": '["a", "b"]',
    "dict": '{"a": {"b": 1}}',
    "empty": '""',
    "huge_int": "9" * 5000,
    "newline": '"line1\\nline2\\u001b[31m"',
    "bidi": '"\\u202eevil"',
    "nul": '"a\\u0000b"',
    "long": json.dumps("y" * 100_000),
    "nested": "[" * 500 + "]" * 500,
}
FIELDS = ["id", "text", "title", "url", "outlet", "published", "language", "meta\\ud800key"]

BROKEN_JSON_LINES = [
    "{not json",
    '{"id": "x", "text": "unterminated',
    '{"id": "x", "text": "a"',
    '{"id": "x" "text": "a"}',
    "[" * 100_000,
    "{" * 5000,
    '{"a":' * 3000,
    "[]",
    '"just a string"',
    "42",
    "null",
    "true",
    "NaN",
    '{"id": NaN, "text": "a"}',
    '{"id": Infinity, "text": "a"}',
    '{"id": "x", "text": "a",}',
    "{'id': 'x', 'text': 'single quotes'}",
    '{"id": "x", "text": "raw\ttab and raw\x01control"}',
    '{"id": "x", "text": "\\x41 bad escape"}',
    '{"id": "x", "text": "\\u12"}',
    '{"id": "dup", "id": "dup2", "text": "Duplicate keys in one record."}',
    '\ufeff{"id": "bom", "text": "A byte-order mark before the record."}',
    '{"id": "x", "text": "a"} trailing',
    '{"id": "x", "text": "a"}{"id": "y", "text": "b"}',
    "\x00\x00\x00",
    '{"id": "neg", "text": "Negative zero id.", "n": -0}',
    '{"id": -5, "text": "A negative integer id is still an id."}',
    '{"id": "ws", "text": " \\t\\n\\r "}',
    '{"id": "warn5", "text": "Warnings field is a number.", "warnings": 5}',
    '{"id": "warnlist", "text": "Warnings forged.", "warnings": ["x\\npropwatch: error: forged"]}',
    '{"id": "src", "text": "Source field forged.", "source": "/etc/passwd", "reader": [1]}',
    '{"id": "deepmeta", "text": "Deep metadata.", "m": ' + "[" * 900 + "]" * 900 + "}",
]


HTML_PAGES = {
    "svg_script.html": b"<svg><script>",
    "svg_script_closed.html": b"<html><svg><script>alert(1)</script></svg><p>Text.</p></html>",
    "empty.html": b"",
    "tags_only.html": b"<html><head></head><body></body></html>",
    "unclosed.html": b"<html><body><p>Unclosed <b>bold <i>italic <div>" * 50,
    "deep_divs.html": b"<div>" * 20000 + b"Deep text." + b"</div>" * 20000,
    "deep_tables.html": b"<table><tr><td>" * 3000 + b"cell",
    "huge_attribute.html": b'<p title="' + b"a" * 1_000_000 + b'">Text</p>',
    "entities.html": b"<p>&#0; &#xD800; &#x110000; &#99999999999; &bogus; &amp</p>",
    "charset_lie.html": b'<meta charset="utf-16"><p>Declared UTF-16, written as UTF-8.</p>',
    "charset_unknown.html": b'<meta charset="x-no-such"><p>Unknown charset page text.</p>',
    "xml_bomb.html": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;'
    b'&a;&a;"><!ENTITY c "&b;&b;&b;&b;">]><html><body><p>&c;&c;</p></body></html>',
    "cdata.html": b"<p><![CDATA[ <script>x</script> ]]></p>",
    "comments.html": b"<!--" + b"-" * 1000 + b"><p>Text after a long comment.</p>",
    "script_only.html": b"<script>" + b"var a = 1;" * 1000 + b"</script>",
    "nul.html": b"<p>NUL \x00 in HTML</p>",
    "utf32.html": "<html><body><p>UTF-32 page with a mark.</p></body></html>".encode("utf-32"),
    "binary.htm": bytes(range(1, 256)) * 8,
    "frameset.html": b"<frameset><frame src='javascript:alert(1)'></frameset>",
    "base64_image.html": b'<img src="data:image/png;base64,' + b"A" * 200_000 + b'">',
    "rtl.html": "<html dir=rtl><p>قال رئيس البلدية إن الخطة ناجحة جدا.</p></html>".encode(),
}


# File names that break naive tools: newlines, escapes, undecodable bytes, dashes, globs.
ODD_NAMES: list[bytes] = [
    b"new\nline.txt",
    b"tab\there.txt",
    b"escape\x1b[31m.txt",
    b"bell\x07.txt",
    "rtl\u202etxt.exe.txt".encode(),
    b"bad\xff\xfe.txt",
    b"latin1_caf\xe9.txt",
    b"-rf.txt",
    b"--help.txt",
    b"-.txt",
    b" leading space.txt",
    b"trailing space .txt",
    b"quote\"'`$(id).txt",
    b"back\\slash.txt",
    b"glob[a]*?.txt",
    b"percent%s%n%x.txt",
    "emoji_👍.txt".encode(),
    "nfd_cafe\u0301.txt".encode(),
    "nfc_caf\u00e9.txt".encode(),
    b"L" * 240 + b".txt",
    b"no_suffix",
    b".hidden.txt",
    b"semi;colon&amp.txt",
    b"article\n123.txt",
]
