"""Offline edits a device makes before a faulted sync: a new mobile in the profile, and
sometimes a whole hospitalisation claim with material files (PNG, JPEG, PDF)."""

import datetime
import hashlib
import math
import os

from .device import Claim, CommandFailed, Material

BANK_ACCOUNT = "6222020200112233445"
BANK_NAME = "中国工商银行"
HOSPITALS = ["商洛市中心医院", "商洛市第二人民医院", "洛南县医院", "商州区人民医院"]
DIAGNOSES = ["肺炎", "急性阑尾炎", "胫骨骨折", "慢性胃炎", "支气管炎"]
MAGIC = {"png": bytes.fromhex("89504E470D0A1A0A"), "jpg": bytes.fromhex("FFD8FFE0"), "pdf": b"%PDF-1.4\n"}
MIN_FILE = 50 * 1024
MAX_FILE = 2 * 1024 * 1024


def china_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def random_mobile(rng):
    return "1391234%04d" % rng.randrange(10000)


def random_size(rng):
    """50 KB to 2 MB, log-uniform (many small files, some large)."""
    return int(math.exp(rng.uniform(math.log(MIN_FILE), math.log(MAX_FILE))))


def make_file(rng, folder, kind):
    """A file of random content behind the magic bytes of `kind`; returns (path, sha256, size)."""
    size = random_size(rng)
    magic = MAGIC[kind]
    data = magic + rng.randbytes(size - len(magic))
    path = os.path.join(folder, "m%08x.%s" % (rng.getrandbits(32), kind))
    with open(path, "wb") as f:
        f.write(data)
    return path, hashlib.sha256(data).hexdigest(), len(data)


def profile_edit(rng, device):
    mobile = random_mobile(rng)
    out = device.run_json("profile", "set", "--mobile", mobile)
    if out.get("mobile") != mobile:
        raise CommandFailed("profile set on %s answered mobile %r, not %s" % (device.login, out.get("mobile"), mobile))
    device.last_mobile = mobile
    return mobile


def claim_workload(rng, device, folder):
    """claim new, payee, attach (id-card 1-2 PNG, bank-card JPEG, discharge-summary 1-2 PDF),
    submit. Returns (claim, bytes attached)."""
    today = china_today()
    admitted = today - datetime.timedelta(days=rng.randint(2, 20))
    discharged = admitted + datetime.timedelta(days=rng.randint(0, (today - admitted).days))
    hospital, diagnosis = rng.choice(HOSPITALS), rng.choice(DIAGNOSES)
    out = device.run_json("claim", "new", "--type", "hospitalization", "--standard", "std-staff-med",
                          "--admitted", admitted.isoformat(), "--discharged", discharged.isoformat(),
                          "--hospital", hospital, "--diagnosis", diagnosis)
    claim_id = out.get("id")
    if not claim_id:
        raise CommandFailed("claim new on %s printed no id" % device.login)
    claim = Claim(claim_id, {"claim_type": "hospitalization", "admitted": admitted.isoformat(),
                             "discharged": discharged.isoformat(), "hospital": hospital, "diagnosis": diagnosis})
    device.claims.append(claim)
    device.run_json("claim", "payee", claim_id, "--bank-account", BANK_ACCOUNT, "--bank-name", BANK_NAME)
    claim.fields.update({"payee_bank_account": BANK_ACCOUNT, "payee_bank_name": BANK_NAME})
    total = 0
    for item, kind, count in (("id-card", "png", rng.randint(1, 2)), ("bank-card", "jpg", 1),
                              ("discharge-summary", "pdf", rng.randint(1, 2))):
        files = [make_file(rng, folder, kind) for _ in range(count)]
        try:
            out = device.run_json("claim", "attach", claim_id, "--item", item, *[f[0] for f in files])
        finally:
            for path, _, _ in files:
                os.unlink(path)   # the client keeps its own (sealed) copy
        listed = out.get("materials") or []
        if len(listed) != len(files):
            raise CommandFailed("claim attach --item %s on %s listed %d materials for %d files"
                                % (item, device.login, len(listed), len(files)))
        by_sha = {m.get("sha256"): m for m in listed}
        for _, sha, size in files:
            m = by_sha.get(sha)
            if m is None:
                raise CommandFailed("claim attach on %s: no material with the file's SHA-256 %s…" % (device.login, sha[:12]))
            if m.get("bytes") != size:
                raise CommandFailed("claim attach on %s: material %s has %s bytes, the file %d"
                                    % (device.login, m.get("id"), m.get("bytes"), size))
            claim.materials.append(Material(m["id"], claim_id, item, sha, size))
            total += size
    device.run_json("claim", "submit", claim_id)
    claim.submitted = True
    return claim, total
