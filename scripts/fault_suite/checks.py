"""After recovery: what each device says (status, verify) and what the server's database
holds (read only; the embedded SQLite file or PostgreSQL, see store.py), against what the
devices produced. Each problem is (key, message); the key lets a problem already reported in
an earlier iteration stay quiet afterwards."""

import json
import re

from .store import first

CASE_NUMBER = re.compile(r"^CL2602\d{16}$")


def device_checks(device):
    """status: nothing pending, nothing rejected; verify: ok."""
    problems = []
    st = device.status()
    if st.get("pendingChanges") != 0:
        problems.append((("pending", device.login), "%s: status pendingChanges=%s after recovery"
                         % (device.login, st.get("pendingChanges"))))
    if st.get("pendingUploads") != 0:
        problems.append((("uploads", device.login), "%s: status pendingUploads=%s after recovery"
                         % (device.login, st.get("pendingUploads"))))
    if st.get("failedUploads"):
        problems.append((("failed-uploads", device.login), "%s: failed uploads %s" % (device.login, st.get("failedUploads"))))
    if st.get("rejectedChanges"):
        reasons = "; ".join(sorted({r.get("reason", "?") for r in st.get("rejected") or []}))
        problems.append((("rejected", device.login, st.get("rejectedChanges")), "%s: %s change(s) rejected by the server: %s"
                         % (device.login, st.get("rejectedChanges"), reasons)))
    rc, out, err = device.run("verify")
    try:
        report = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        report = None
    if report is None or not report.get("ok"):
        diffs = (report or {}).get("differences") or []
        what = ", ".join("%s/%s:%s" % (d.get("table"), d.get("recordId"), d.get("kind")) for d in diffs[:4])
        problems.append((("verify", device.login, what), "%s: verify not ok (rc=%s) %s" % (device.login, rc, what or (err.strip()[-160:]))))
    return problems


def server_checks(store, devices, full_hash=False):
    """The case store against the devices' records. New materials (and all of them when
    `full_hash`) have their stored content hashed; older ones are checked for size."""
    problems = []
    with store.reader() as db:
        total, distinct = first(db.execute(
            "SELECT COUNT(*) AS total, (SELECT COUNT(*) FROM (SELECT DISTINCT account_id, change_id "
            "FROM applied_change) AS d) AS distinct_ids FROM applied_change"))
        if total != distinct:
            problems.append((("applied-dup", total, distinct), "applied_change has %d rows for %d distinct (account, change id)"
                             % (total, distinct)))
        for dev in devices:
            problems += _changes(db, dev)
            problems += _profile(db, dev)
            for claim in dev.claims:
                problems += _claim(db, store, dev, claim, full_hash)
        # nothing duplicated across claims
        for number, n in db.execute("SELECT case_number, COUNT(*) AS n FROM claim WHERE case_number IS NOT NULL "
                                    "GROUP BY case_number HAVING COUNT(*) > 1"):
            problems.append((("case-dup", number), "case number %s on %d claims" % (number, n)))
        for claim_id, sha, n in db.execute("SELECT claim_id, sha256, COUNT(*) AS n FROM claim_material "
                                           "GROUP BY claim_id, sha256 HAVING COUNT(*) > 1"):
            problems.append((("material-dup", claim_id, sha), "claim %s has %d material rows for one file %s…"
                             % (claim_id[:8], n, sha[:12])))
        expected_claims = {c.id for d in devices for c in d.claims}
        member_ids = tuple(d.member_id for d in devices)
        marks = ",".join("?" * len(member_ids))
        extra = [r[0] for r in db.execute("SELECT id FROM claim WHERE member_id IN (%s)" % marks, member_ids)
                 if r[0] not in expected_claims]
        if extra:
            problems.append((("claim-extra",) + tuple(sorted(extra)), "server holds %d claim(s) no device made: %s"
                             % (len(extra), ", ".join(e[:8] for e in extra))))
    return problems


def _changes(db, dev):
    """Exactly one applied_change row per change id the device produced, all applied."""
    problems = []
    prefix = dev.client_id + ":"
    rows = db.execute("SELECT change_id, status, reason FROM applied_change WHERE account_id = ?",
                      (dev.account_id,))
    seqs = {}
    for change_id, status, reason in rows:
        if not change_id.startswith(prefix) or not change_id[len(prefix):].isdigit():
            problems.append((("foreign-change", dev.login, change_id), "%s: applied_change holds foreign change id %s"
                             % (dev.login, change_id)))
            continue
        seq = int(change_id[len(prefix):])
        seqs[seq] = seqs.get(seq, 0) + 1
        if status != "applied":
            problems.append((("change-rejected", dev.login, seq), "%s: change %d was %s on the server: %s"
                             % (dev.login, seq, status, reason)))
    missing = [s for s in range(1, dev.produced + 1) if s not in seqs]
    dup = [s for s, n in seqs.items() if n > 1]
    unknown = [s for s in seqs if s > dev.produced or s < 1]
    if missing:
        problems.append((("change-missing", dev.login, tuple(missing)), "%s: %d change(s) never applied on the server (seq %s)"
                         % (dev.login, len(missing), _ranges(missing))))
    if dup:
        problems.append((("change-dup", dev.login, tuple(dup)), "%s: change(s) applied more than once (seq %s)"
                         % (dev.login, _ranges(dup))))
    if unknown:
        problems.append((("change-unknown", dev.login, tuple(unknown)), "%s: server applied change seq(s) %s the device never made"
                         % (dev.login, _ranges(unknown))))
    return problems


def _profile(db, dev):
    if dev.last_mobile is None:
        return []
    row = first(db.execute("SELECT mobile FROM member WHERE id = ?", (dev.member_id,)))
    if row is None or row[0] != dev.last_mobile:
        return [(("mobile", dev.login, dev.last_mobile), "%s: server mobile %s, last edit on the device %s"
                 % (dev.login, row[0] if row else None, dev.last_mobile))]
    return []


def _claim(db, store, dev, claim, full_hash):
    problems = []
    cols = list(claim.fields)
    row = first(db.execute("SELECT member_id, state, case_number, %s FROM claim WHERE id = ?" % ", ".join(cols),
                           (claim.id,)))
    short = claim.id[:8]
    if row is None:
        return [(("claim-missing", claim.id), "%s: claim %s missing on the server" % (dev.login, short))]
    member_id, state, case_number = row[:3]
    if member_id != dev.member_id:
        problems.append((("claim-member", claim.id), "claim %s belongs to %s, not %s" % (short, member_id, dev.member_id)))
    for col, value in zip(cols, row[3:]):
        if value != claim.fields[col]:
            problems.append((("claim-field", claim.id, col), "claim %s: %s is %r, sent %r" % (short, col, value, claim.fields[col])))
    if claim.submitted:
        if state == "draft" or case_number is None:
            problems.append((("claim-unsubmitted", claim.id), "claim %s submitted but on the server state=%s case_number=%s"
                             % (short, state, case_number)))
        elif not CASE_NUMBER.match(case_number):
            problems.append((("case-number", claim.id), "claim %s: case number %r malformed" % (short, case_number)))
        # accepted exactly once: one trail entry "会员提交申领", no "提交未受理"
        trail = [r[0] for r in db.execute("SELECT step FROM claim_trail WHERE claim_id = ?", (claim.id,))]
        if trail.count("会员提交申领") != 1 or "提交未受理" in trail:
            problems.append((("claim-trail", claim.id, tuple(sorted(trail))), "claim %s: trail %s, expected one 会员提交申领"
                             % (short, trail)))
    rows = db.execute("SELECT id, item, sha256, bytes, verified FROM claim_material WHERE claim_id = ?",
                      (claim.id,))
    by_id = {r[0]: r for r in rows}
    attached = {m.id for m in claim.materials}
    extra = sorted(set(by_id) - attached)
    if extra:
        problems.append((("material-extra", claim.id), "claim %s has %d material row(s) never attached" % (short, len(extra))))
    for m in claim.materials:
        r = by_id.get(m.id)
        if r is None:
            problems.append((("material-missing", m.id), "claim %s: material %s (%s) missing on the server" % (short, m.id[:8], m.item)))
            continue
        _, item, sha, size, verified = r
        if (item, sha, size) != (m.item, m.sha256, m.size):
            problems.append((("material-row", m.id), "material %s: server has %s/%s…/%s B, attached %s/%s…/%s B"
                             % (m.id[:8], item, sha[:12], size, m.item, m.sha256[:12], m.size)))
        if verified != 1:
            problems.append((("material-unverified", m.id), "claim %s: material %s (%s, %d B) verified=%s after recovery"
                             % (short, m.id[:8], m.item, m.size, verified)))
        on_disk = store.content_size(m.sha256)
        if on_disk is None:
            problems.append((("blob-missing", m.id), "material %s: %s missing" % (m.id[:8], store.content_label(m.sha256))))
            continue
        if on_disk != m.size:
            problems.append((("blob-size", m.id), "material %s: %s has %d B, attached %d B"
                             % (m.id[:8], store.content_noun, on_disk, m.size)))
        elif full_hash or not m.hashed:
            got = store.content_sha256(m.sha256)
            if got != m.sha256:
                problems.append((("blob-hash", m.id), "material %s: %s's SHA-256 %s… differs from the attached %s…"
                                 % (m.id[:8], store.content_noun, (got or "?")[:12], m.sha256[:12])))
            elif verified == 1:
                m.hashed = True
    return problems


def _ranges(nums):
    nums = sorted(nums)
    out, start, prev = [], None, None
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append("%d" % start if start == prev else "%d-%d" % (start, prev))
            start = prev = n
    if start is not None:
        out.append("%d" % start if start == prev else "%d-%d" % (start, prev))
    s = ",".join(out)
    return s if len(s) < 80 else s[:77] + "..."
