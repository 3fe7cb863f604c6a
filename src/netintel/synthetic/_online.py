"""Online sellers: accounts on a platform, adverts, buyers, and wallets that pay a supplier
across the border.

Planted after everything else with a random generator of their own, written as files of
their own (``accounts.csv``, ``interactions.csv``), so every other file stays byte-identical.

Each online seller is a planted Vietnamese ring member (a seller, courier or buyer) whose
Telegram account, MoMo e-wallet and USDT wallet are registered with a phone the records
show them using (the phone of one of their arrest rows, as written there). The seller posts
adverts, buyers (accounts nobody owns) message them and pay the e-wallet, and the seller's
USDT wallet pays the wallet of a supplier across the border: a member of a planted Lao-side
ring, registered with a Lao phone of their own arrest row. Ordinary accounts chatting and
paying each other are the noise around them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netintel.ingest.kinds import KINDS
from netintel.synthetic._people import N_DAYS, START_DATE

ACCOUNT_COLUMNS = list(KINDS["accounts"].columns)
INTERACTION_COLUMNS = list(KINDS["interactions"].columns)
ADVERTS = ("Hàng về. Inbox", "Đá, kẹo, cỏ: ship toàn quốc", "Hàng chuẩn, giá tốt, ib", "Có hàng")
CHATS = ("ok", "còn hàng không", "gửi địa chỉ", "đã chuyển", "mai nhận")


def _day(day: int) -> str:
    return pd.Timestamp(START_DATE + np.timedelta64(int(day), "D")).strftime("%Y-%m-%d")


def _phones_used(arrests: pd.DataFrame, truth: dict) -> dict[str, str]:
    """Planted person -> a phone as written on one of their well-formed arrest rows, where
    the row names them and the number is nobody else's."""
    bad = {m["record_id"] for m in truth["malformed"]}
    shared = {p for s in truth["shared_phones"] for p in s["persons"]}
    rows = arrests.set_index("record_id")
    out: dict[str, str] = {}
    for tid, p in truth["persons"].items():
        if tid in shared:
            continue
        for rid in p["record_ids"]:
            if rid in rows.index and rid not in bad:
                phones = [x for x in str(rows.at[rid, "phones"]).split(";") if x.strip()]
                if phones and rows.at[rid, "name"]:
                    out[tid] = phones[0].strip()
                    break
    return out


def plant_online(seed: int, truth: dict, arrests: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """The accounts and interactions files and their truth: ``online_sellers``.

    Parameters
    ----------
    seed : int
        The dataset's seed (the online sellers draw from a generator of their own).
    truth : dict
        The truth of the other kinds: read, not changed.
    arrests : DataFrame
        The written arrest rows (a seller's registration phone is one of theirs).

    Returns
    -------
    (DataFrame, DataFrame, dict)
        Account rows, interaction rows (text, ``""`` for blank) and
        ``{"online_sellers": [...]}``.
    """
    rng = np.random.default_rng([int(seed), 29])
    persons, rings = truth["persons"], truth["rings"]
    phone_of = _phones_used(arrests, truth)
    accounts: list[dict] = []
    interactions: list[dict] = []
    sellers: list[dict] = []

    def account(platform: str, handle: str, phone: str = "", name: str = "", day: int = 0) -> str:
        rid = f"ACC-{len(accounts) + 1:06d}"
        accounts.append(
            {
                "record_id": rid,
                "platform": platform,
                "account": handle,
                "display_name": name,
                "phone": phone,
                "date": _day(day),
                "source_ref": f"PC04-ONL-{rid[4:]}",
                "grading": "2BP",
            }
        )
        return rid

    def interact(
        kind: str, day: int, frm: tuple[str, str], to: tuple[str, str] | None, **kw
    ) -> str:
        rid = f"ONL-{len(interactions) + 1:06d}"
        interactions.append(
            {
                "record_id": rid,
                "interaction": kind,
                "date": _day(day),
                "from_platform": frm[0],
                "from_account": frm[1],
                "to_platform": to[0] if to else "",
                "to_account": to[1] if to else "",
                "source_ref": f"PC04-ONL-{rid[4:]}",
                "grading": "2BP",
                **{k: str(v) for k, v in kw.items()},
            }
        )
        return rid

    def handle(prefix: str) -> str:
        return f"@{prefix}{rng.integers(10, 99)}{rng.integers(0, 10**4):04d}"

    def wallet() -> str:
        return "T" + "".join(
            rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789"), 33)
        )

    vn_rings = [r for r in rings if r["side"] == "VN"]
    la_rings = [r for r in rings if r["side"] == "LA"]
    n_sellers = min(len(vn_rings), max(2, len(rings) // 3))
    for k, ring in enumerate(vn_rings[:n_sellers]):
        candidates = [
            t
            for t in ring["members"]
            if persons[t]["role"] in ("seller", "courier", "buyer") and t in phone_of
        ]
        # The supplier: a member of a Lao ring bridged to this one by a broker, else any.
        bridged = [r for r in la_rings if set(r["brokers"]) & set(ring["brokers"])] or la_rings
        suppliers = [
            t
            for r in bridged
            for t in [r["leader"], *r["lieutenants"], r["financier"]]
            if t and t in phone_of
        ]
        if not candidates or not suppliers:
            continue
        seller = str(candidates[int(rng.integers(0, len(candidates)))])
        supplier = str(suppliers[int(rng.integers(0, len(suppliers)))])
        phone, la_phone = phone_of[seller], phone_of[supplier]
        start = int(rng.integers(60, N_DAYS - 400))
        shop = ("Telegram", handle("hang_"))
        ewallet = ("MoMo", phone_of[seller].replace(" ", ""))
        crypto = ("USDT-TRC20", wallet())
        la_chat = ("Telegram", handle("lao_"))
        la_wallet = ("USDT-TRC20", wallet())
        records = [
            account(*shop, phone=phone, name=f"Hàng tốt {k + 1}", day=start),
            account(*ewallet, phone=phone, day=start),
            account(*crypto, phone=phone, day=start + 5),
        ]
        supplier_records = [
            account(*la_chat, phone=la_phone, name="Lao supply", day=start),
            account(*la_wallet, phone=la_phone, day=start + 5),
        ]
        posts, buyers, money = [], [], []
        day = start
        for _ in range(4):
            day += int(rng.integers(5, 30))
            posts.append(interact("post", day, shop, None, content=ADVERTS[rng.integers(0, 4)]))
        for _ in range(int(rng.integers(3, 6))):
            buyer = ("Telegram", handle("user"))
            account(*buyer, day=day)
            d = day + int(rng.integers(1, 60))
            buyers.append(interact("message", d, buyer, shop, content=CHATS[rng.integers(0, 5)]))
            payer = ("MoMo", f"09{rng.integers(0, 10**8):08d}")
            buyers.append(
                interact(
                    "payment",
                    d + 1,
                    payer,
                    ewallet,
                    amount=int(rng.integers(5, 50)) * 100_000,
                    currency="VND",
                    method="ewallet",
                )
            )
        day = start
        messages = []
        for _ in range(3):
            day += int(rng.integers(10, 40))
            messages.append(interact("message", day, shop, la_chat, content="cần hàng"))
            money.append(
                interact(
                    "payment",
                    day + 2,
                    crypto,
                    la_wallet,
                    amount=int(rng.integers(20, 200)) * 100,
                    currency="USDT",
                    method="crypto",
                    tx_hash=f"{rng.integers(0, 16**15):015x}",
                )
            )
        sellers.append(
            {
                "id": f"O{k + 1:02d}",
                "seller": seller,
                "ring": ring["id"],
                "phone": phone,
                "accounts": records,
                "supplier": supplier,
                "supplier_ring": persons[supplier]["rings"][0],
                "supplier_accounts": supplier_records,
                "posts": posts,
                "buyer_interactions": buyers,
                "messages": messages,
                "payments": money,
            }
        )
    # Noise: ordinary accounts chatting and paying each other, nobody's phone.
    for _ in range(4 * max(1, len(sellers))):
        a, b = ("Zalo", handle("u")), ("Zalo", handle("u"))
        account(*a, day=int(rng.integers(0, N_DAYS)))
        d = int(rng.integers(0, N_DAYS))
        interact("message", d, a, b, content=CHATS[rng.integers(0, 5)])
        if rng.random() < 0.5:
            interact(
                "payment",
                d,
                ("ZaloPay", f"09{rng.integers(0, 10**8):08d}"),
                ("ZaloPay", f"09{rng.integers(0, 10**8):08d}"),
                amount=int(rng.integers(1, 20)) * 50_000,
                currency="VND",
                method="ewallet",
            )
    acc = pd.DataFrame(accounts).reindex(columns=ACCOUNT_COLUMNS, fill_value="").fillna("")
    inter = pd.DataFrame(interactions).reindex(columns=INTERACTION_COLUMNS, fill_value="")
    inter = inter.fillna("").astype(str)
    inter = inter.iloc[rng.permutation(len(inter))].reset_index(drop=True)
    return acc.astype(str), inter, {"online_sellers": sellers}
