"""Controlled vocabularies of the records: drug types, link types, transport modes,
couriers and channels.

All matching is on the folded text (:func:`netintel.values.fold`): case, diacritics and
punctuation do not matter, so ``"Ma túy đá"``, ``"MA TUY DA"`` and ``"ma-tuy-da"`` agree.

Decisions
---------
- Drug names are canonicalised to the substance: crystal methamphetamine ("ice", "ma túy
  đá", "shabu") and methamphetamine tablets ("ya ba", "hồng phiến") are both
  ``methamphetamine``; the form is carried by the unit (tablets have no mass, kilograms do).
  A name not in the table keeps its folded text as canonical name (``"ma tuy tong hop"``),
  which is not an error.
- Link types are the seven of :data:`LINK_TYPES`; a few synonyms are accepted, anything else
  is an error (quarantined).
- Transport modes are mapped to :data:`TRANSPORT_MODES` when recognised; other text is kept as
  recorded.

Examples
--------
>>> canonical_drug("Ma túy đá"), canonical_drug("Hê-rô-in"), canonical_drug("ya ba")
('methamphetamine', 'heroin', 'methamphetamine')
>>> clean_link_type("Co-offending"), clean_link_type("chuyển tiền")
('co_offending', 'money_transfer')
>>> clean_transport("xe máy"), clean_transport("Thuyền"), clean_transport("xe bò")
('road', 'sea', 'xe bò')
"""

from __future__ import annotations

from netintel.errors import InvalidValueError
from netintel.values import clean_text, fold

_DRUGS = {
    "heroin": ("heroine", "he ro in", "hero in", "bach phien", "heroin no 4", "heroin no4"),
    "methamphetamine": (
        "methamphetamin",
        "metamfetamin",
        "metamphetamine",
        "methamfetamine",
        "meth",
        "crystal meth",
        "crystal methamphetamine",
        "ice",
        "shabu",
        "ma tuy da",
        "da",
        "ya ba",
        "yaba",
        "yama",
        "hong phien",
        "meth tablets",
        "methamphetamine tablets",
        "methamphetamine tablet",
        "amphetamine type stimulants",
        "ats",
    ),
    "amphetamine": ("amphetamin", "amfetamin", "amfetamine"),
    "mdma": ("ecstasy", "xtc", "thuoc lac", "mdma tablets", "ecstasy tablets"),
    "ketamine": ("ketamin", "ke"),
    "cannabis": (
        "marijuana",
        "marihuana",
        "can sa",
        "ganja",
        "weed",
        "hashish",
        "hash",
        "cannabis resin",
        "cannabis herb",
    ),
    "cocaine": ("coke", "co ca in", "cocain", "crack", "crack cocaine"),
    "opium": ("thuoc phien", "nha phien", "opium gum"),
    "fentanyl": ("fentanil",),
    "tramadol": (),
}
_DRUG_INDEX = {fold(s): drug for drug, syns in _DRUGS.items() for s in (drug, *syns)}


def canonical_drug(raw: str) -> str:
    """Canonical lower-case drug name (the folded text itself when not in the table).

    >>> canonical_drug("Crystal Meth"), canonical_drug("Thuốc lắc"), canonical_drug("Ma túy tổng hợp")
    ('methamphetamine', 'mdma', 'ma tuy tong hop')
    """
    key = fold(raw)
    if not key:
        raise InvalidValueError(f"{str(raw).strip()!r} is not a drug name")
    return _DRUG_INDEX.get(key, key)


LINK_TYPES = (
    "co_offending",
    "money_transfer",
    "family",
    "meeting",
    "shared_vehicle",
    "shared_address",
    "other",
)
_LINK_SYNONYMS = {
    "co_offending": (
        "co offender",
        "co offenders",
        "cooffending",
        "accomplice",
        "accomplices",
        "co arrest",
        "co arrested",
        "dong pham",
        "cung pham",
        "dong pham toi",
    ),
    "money_transfer": (
        "money",
        "transfer",
        "payment",
        "remittance",
        "financial",
        "wire",
        "chuyen tien",
        "giao dich tien",
        "tien",
    ),
    "family": (
        "relative",
        "relatives",
        "kin",
        "kinship",
        "sibling",
        "spouse",
        "married",
        "gia dinh",
        "ho hang",
        "vo chong",
        "anh em",
        "nguoi than",
    ),
    "meeting": ("meet", "met", "meetings", "gap", "gap mat", "gap go"),
    "shared_vehicle": ("vehicle", "same vehicle", "chung xe", "cung xe"),
    "shared_address": (
        "address",
        "same address",
        "co resident",
        "co residence",
        "cung dia chi",
        "o cung",
        "chung nha",
    ),
    "other": ("khac", "unknown", "misc"),
}
_LINK_INDEX = {fold(s): t for t, syns in _LINK_SYNONYMS.items() for s in (t, *syns)}


def clean_link_type(raw: str) -> str:
    """One of :data:`LINK_TYPES` (synonyms accepted); :class:`InvalidValueError` otherwise.

    >>> clean_link_type("friendship")
    Traceback (most recent call last):
    ...
    netintel.errors.InvalidValueError: 'friendship' is not a known link type (co_offending, money_transfer, family, meeting, shared_vehicle, shared_address, other)
    """
    link = _LINK_INDEX.get(fold(raw))
    if link is None:
        raise InvalidValueError(
            f"{str(raw).strip()!r} is not a known link type ({', '.join(LINK_TYPES)})"
        )
    return link


TRANSPORT_MODES = ("road", "foot", "sea", "river", "air", "rail", "post")
_TRANSPORT = {
    "road": (
        "land",
        "car",
        "truck",
        "lorry",
        "van",
        "bus",
        "coach",
        "motorbike",
        "motorcycle",
        "motorbikes",
        "xe may",
        "o to",
        "oto",
        "xe tai",
        "xe khach",
        "xe con",
        "xe oto",
        "duong bo",
        "taxi",
    ),
    "foot": ("on foot", "walking", "di bo", "cong vac", "backpack", "porter"),
    "sea": (
        "boat",
        "ship",
        "vessel",
        "maritime",
        "container ship",
        "fishing boat",
        "thuyen",
        "tau thuy",
        "tau ca",
        "duong bien",
        "bien",
    ),
    "river": ("river boat", "duong song", "ghe", "xuong"),
    "air": ("plane", "aircraft", "flight", "airline", "air cargo", "may bay", "duong hang khong"),
    "rail": ("train", "railway", "tau hoa", "duong sat"),
    "post": (
        "postal",
        "parcel",
        "express",
        "express delivery",
        "courier service",
        "mail",
        "chuyen phat nhanh",
        "buu dien",
        "buu pham",
        "buu kien",
    ),
}
_TRANSPORT_INDEX = {fold(s): m for m, syns in _TRANSPORT.items() for s in (m, *syns)}


def clean_transport(raw: str) -> str:
    """A transport mode of :data:`TRANSPORT_MODES` when recognised, else the recorded text (NFC)."""
    return _TRANSPORT_INDEX.get(fold(raw), clean_text(raw))


_COURIERS = {
    "VNPost": ("vn post", "vnpost", "vietnam post", "buu dien viet nam", "buu dien", "ems vietnam"),
    "Viettel Post": ("viettelpost", "viettel", "vtp"),
    "GHN": ("giao hang nhanh", "ghn express"),
    "GHTK": ("giao hang tiet kiem",),
    "J&T Express": ("j&t", "jt express", "j and t express", "j t express"),
    "Ninja Van": ("ninjavan", "ninja"),
    "Best Express": ("best", "best inc"),
    "DHL": ("dhl express",),
    "FedEx": ("fedex express", "fed ex"),
    "EMS": ("express mail service",),
    "Lao Post": ("laopost", "enterprise des postes lao"),
    "Thailand Post": ("thai post", "thaipost"),
}
_COURIER_INDEX = {fold(s): c for c, syns in _COURIERS.items() for s in (c, *syns)}


def clean_courier(raw: str) -> str:
    """The courier company's usual name when recognised, else the recorded text (NFC).

    >>> clean_courier("viettelpost"), clean_courier("Giao hàng nhanh"), clean_courier("Xe khách A")
    ('Viettel Post', 'GHN', 'Xe khách A')
    """
    return _COURIER_INDEX.get(fold(raw), clean_text(raw))


#: The channels the national programme counts cases by: land, sea and air borders, express
#: delivery (post and courier parcels) and cyberspace (online).
CHANNELS = ("land", "sea", "air", "express", "online")
_TRANSPORT_CHANNEL = {
    "road": "land",
    "foot": "land",
    "rail": "land",
    "river": "land",  # river crossings at a land border are counted with the land border
    "sea": "sea",
    "air": "air",
    "post": "express",
    "online": "online",
}


def transport_channel(mode: object) -> str | None:
    """The channel (:data:`CHANNELS`) of a seizure's transport mode; ``None`` when unknown.

    >>> transport_channel("road"), transport_channel("post"), transport_channel("xe bò")
    ('land', 'express', None)
    """
    if not isinstance(mode, str):
        return None
    return _TRANSPORT_CHANNEL.get(mode) or _TRANSPORT_CHANNEL.get(
        _TRANSPORT_INDEX.get(fold(mode), "")
    )


_PLATFORMS = {
    "Telegram": ("tele", "tg", "telegram messenger"),
    "Zalo": ("zalo chat",),
    "Facebook": ("fb", "facebook messenger", "messenger"),
    "TikTok": ("tik tok", "douyin"),
    "WhatsApp": ("whats app", "wa"),
    "Signal": (),
    "WeChat": ("wechat", "weixin"),
    "MoMo": ("momo", "vi momo", "ví momo"),
    "ZaloPay": ("zalo pay",),
    "ViettelPay": ("viettel money", "viettel pay"),
    "USDT-TRC20": ("usdt", "tether", "trc20", "usdt trc20", "tron"),
    "Bitcoin": ("btc",),
    "Ethereum": ("eth",),
}
_PLATFORM_INDEX = {fold(s): p for p, syns in _PLATFORMS.items() for s in (p, *syns)}


def clean_platform(raw: str) -> str:
    """The platform's usual name when recognised (messengers, e-wallets, chains), else the
    recorded text: banks and other platforms keep their name as written.

    >>> clean_platform("tele"), clean_platform("Ví MoMo"), clean_platform("usdt"), clean_platform("Vietcombank")
    ('Telegram', 'MoMo', 'USDT-TRC20', 'Vietcombank')
    """
    return _PLATFORM_INDEX.get(fold(raw), clean_text(raw))


def account_key(platform: str, account: str) -> str:
    """The match key of an account: the folded platform and the handle, case and a leading
    ``@`` ignored (a wallet address or account number as written, spaces removed).

    >>> account_key("Telegram", "@Hang_Tot99"), account_key("Vietcombank", "0071 0001 2345")
    ('telegram:hang_tot99', 'vietcombank:007100012345')
    """
    handle = "".join(str(account).split()).lstrip("@").lower()
    return f"{fold(platform)}:{handle}"


INTERACTIONS = ("message", "post", "payment")
_INTERACTION_INDEX = {
    fold(s): k
    for k, syns in {
        "message": ("messages", "chat", "dm", "sms", "tin nhan", "nhan tin"),
        "post": ("posts", "advert", "advertisement", "ad", "bai dang", "quang cao"),
        "payment": (
            "payments",
            "transfer",
            "transaction",
            "chuyen khoan",
            "chuyen tien",
            "thanh toan",
        ),
    }.items()
    for s in (k, *syns)
}


def clean_interaction(raw: str) -> str:
    """One of :data:`INTERACTIONS` (synonyms accepted); :class:`InvalidValueError` otherwise.

    >>> clean_interaction("Chuyển khoản"), clean_interaction("tin nhắn")
    ('payment', 'message')
    """
    found = _INTERACTION_INDEX.get(fold(raw))
    if found is None:
        raise InvalidValueError(
            f"{str(raw).strip()!r} is not a known interaction ({', '.join(INTERACTIONS)})"
        )
    return found


PAYMENT_METHODS = ("bank", "ewallet", "crypto")
_METHOD_INDEX = {
    fold(s): k
    for k, syns in {
        "bank": ("bank transfer", "wire", "chuyen khoan", "ngan hang", "atm"),
        "ewallet": ("e wallet", "wallet", "vi dien tu", "momo", "zalopay", "viettelpay"),
        "crypto": ("cryptocurrency", "usdt", "btc", "bitcoin", "tien ao", "tien dien tu"),
    }.items()
    for s in (k, *syns)
}


def clean_method(raw: str) -> str:
    """One of :data:`PAYMENT_METHODS` (synonyms accepted); :class:`InvalidValueError` otherwise.

    >>> clean_method("Ví điện tử"), clean_method("USDT")
    ('ewallet', 'crypto')
    """
    found = _METHOD_INDEX.get(fold(raw))
    if found is None:
        raise InvalidValueError(
            f"{str(raw).strip()!r} is not a known payment method ({', '.join(PAYMENT_METHODS)})"
        )
    return found
