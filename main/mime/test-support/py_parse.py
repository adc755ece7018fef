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
    for part in msg.walk():
        if part.is_multipart():
            result["parts"].append({"multipart": part.get_content_type(), "defects": [type(d).__name__ for d in part.defects]})
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {
            "contentType": part.get_content_type(),
            "charset": part.get_content_charset(),
            "cte": part.get("content-transfer-encoding"),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "contentId": part.get("content-id"),
            "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "defects": [type(d).__name__ for d in part.defects],
        }
        if part.get_content_maintype() == "text" and part.get_filename() is None:
            entry["text"] = payload.decode(part.get_content_charset() or "utf-8")
        result["parts"].append(entry)
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
