"""Parses messages with Python's standard `email` package (an independent parser) and
prints what it understood as JSON: decoded headers, bodies, attachment SHA-256.
Usage: python3 py_parse.py FILE... ; output: a JSON list, one object per file."""
import email
import email.policy
import email.utils
import hashlib
import json
import sys


def fix(s):
    """Raw UTF-8 header bytes (RFC 6532) arrive as surrogate escapes; make them text."""
    if s is None:
        return None
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def addresses(msg, name):
    header = msg.get(name)
    if header is None:
        return None
    if not hasattr(header, "addresses"):
        # Not an address header in the registry (e.g. Disposition-Notification-To).
        return [{"name": fix(n), "address": fix(a)} for n, a in email.utils.getaddresses([str(header)])]
    return [{"name": fix(a.display_name), "address": fix(a.addr_spec)} for a in header.addresses]


def first_text(msg):
    """The decoded text/plain body of a message (for a forwarded message's contents)."""
    body = msg.get_body(preferencelist=("plain",))
    if body is None:
        return None
    payload = body.get_payload(decode=True) or b""
    return payload.decode(body.get_content_charset() or "utf-8", "replace")


def walk(part, out):
    """Every part in order, as msg.walk() would list them, but a forwarded message
    (message/rfc822) is one entry with its file name and what it contains."""
    ctype = part.get_content_type()
    defects = [type(d).__name__ for d in part.defects]
    if ctype == "message/rfc822":
        inner = part.get_payload(0) if part.is_multipart() else None
        out.append({
            "contentType": ctype,
            "cte": part.get("content-transfer-encoding"),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "contentId": part.get("content-id"),
            "defects": defects,
            "embedded": None if inner is None else {
                "subject": fix(str(inner.get("subject", ""))),
                "from": addresses(inner, "from"),
                "text": first_text(inner),
                "defects": [type(d).__name__ for d in inner.defects],
            },
        })
        return
    if part.is_multipart():
        out.append({"multipart": ctype, "defects": defects})
        for sub in part.get_payload():
            walk(sub, out)
        return
    payload = part.get_payload(decode=True) or b""
    entry = {
        "contentType": ctype,
        "charset": part.get_content_charset(),
        "cte": part.get("content-transfer-encoding"),
        "filename": part.get_filename(),
        "disposition": part.get_content_disposition(),
        "contentId": part.get("content-id"),
        "size": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "defects": defects,
    }
    if part.get_content_maintype() == "text" and part.get_filename() is None:
        entry["text"] = payload.decode(part.get_content_charset() or "utf-8")
    out.append(entry)


def parse(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    result = {
        "defects": [type(d).__name__ for d in msg.defects],
        "subject": str(msg.get("subject", "")),
        "from": addresses(msg, "from"),
        "sender": addresses(msg, "sender"),
        "to": addresses(msg, "to"),
        "cc": addresses(msg, "cc"),
        "replyTo": addresses(msg, "reply-to"),
        "bcc": msg.get("bcc"),
        "messageId": str(msg.get("message-id", "")),
        "inReplyTo": str(msg.get("in-reply-to", "")),
        "references": str(msg.get("references", "")),
        "date": str(msg.get("date", "")),
        "dnt": addresses(msg, "disposition-notification-to"),
        "importance": msg.get("importance"),
        "xPriority": msg.get("x-priority"),
        "custom": {k: str(v) for k, v in msg.items() if k.lower().startswith("x-test")},
        "contentType": msg.get_content_type(),
        "parts": [],
    }
    walk(msg, result["parts"])
    return result


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--headers":
        # Header-decoding mode: stdin is a JSON list of raw header blocks; prints decoded Subject values.
        blocks = json.load(sys.stdin)
        out = []
        for block in blocks:
            msg = email.message_from_bytes(block.encode("utf-8") + b"\r\n", policy=email.policy.default)
            out.append(str(msg.get("subject", "")))
        json.dump(out, sys.stdout)
        return
    json.dump([parse(p) for p in sys.argv[1:]], sys.stdout)


main()
