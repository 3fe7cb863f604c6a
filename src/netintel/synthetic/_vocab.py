"""Vocabulary of the synthetic landscape: names, places, border gates, corridors, drugs.

Everything here is plain data. Place names are given in ASCII (the canonical spelling the
truth uses) with their Vietnamese spelling where records sometimes carry diacritics.
"""

from __future__ import annotations

# fmt: off

# --- Vietnamese (Kinh) names -------------------------------------------------------------
# Family names with rough relative frequencies (Nguyễn dominates, as it does in reality).
VN_FAMILY = [
    ("Nguyễn", 30), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
    ("Vũ", 4), ("Võ", 4), ("Phan", 4), ("Trương", 2), ("Bùi", 3), ("Đặng", 3), ("Đỗ", 3),
    ("Ngô", 2), ("Hồ", 2), ("Dương", 2), ("Đinh", 2), ("Lý", 1), ("Lương", 1), ("Cao", 1),
    ("Tạ", 1), ("Mai", 1), ("Trịnh", 1), ("Lò", 1), ("Lường", 1), ("Quàng", 1), ("Cầm", 1),
    ("Vi", 1),
]
VN_MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Đình", "Công", "Xuân", "Thanh", "Ngọc",
               "Trọng", "Quang", "Tiến", "Mạnh", "Anh", "Bá", "Duy", "Hoài"]
VN_MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Phương", "Diệu", "Bích",
               "Thùy", "Minh", "Hoài", "Khánh"]
VN_GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Thắng", "Minh", "Quân", "Hải", "Long", "Nam", "Sơn",
              "Phong", "Cường", "Đức", "Hiếu", "Khánh", "Trung", "Bình", "Thành", "Tùng", "Huy",
              "Hoàng", "Việt", "Tiến", "Toàn", "Quang", "Lâm", "Kiên", "Phúc", "Tài", "Lộc",
              "Hòa", "Vinh", "Thịnh", "Hưng", "Nghĩa", "Đạt", "Công", "Chiến", "Mạnh", "Tâm",
              "Khải", "Luân", "Nhân", "Sang", "Tín", "Trí", "Vũ", "Bảo"]
VN_GIVEN_F = ["Lan", "Hoa", "Hương", "Mai", "Linh", "Trang", "Thảo", "Hà", "Ngọc", "Phương",
              "Hằng", "Thủy", "Nga", "Yến", "Dung", "Hạnh", "Huyền", "Loan", "Nhung", "Oanh",
              "Vân", "Quyên", "Trinh", "Tuyết", "My", "Hiền", "Thu", "Liên", "Xuân", "Nhàn",
              "Giang", "Châu", "Diệp", "Uyên"]
# H'Mong names, frequent in the Nghe An / Thanh Hoa / Dien Bien border districts.
HMONG_FAMILY = ["Lầu", "Vừ", "Mùa", "Xồng", "Thào", "Giàng", "Sùng", "Hờ", "Lỳ", "Vàng"]
HMONG_MIDDLE = ["Bá", "Văn", "Chống", "Nhìa", "Xái", "A", "Giống", "Chá"]
HMONG_GIVEN = ["Chò", "Dênh", "Pó", "Tồng", "Lử", "Xây", "Chía", "Sày", "Vả", "Dơ", "Tu",
               "Chua", "Pao", "Của", "Lầu", "Xìa", "Vang", "Nọ", "Sính", "Tằng"]
VN_NICKNAMES = ["Béo", "Còi", "Đen", "Lùn", "Tý", "Tèo", "Út", "Ba", "Tư", "Hai", "Sẹo",
                "Lào", "Râu", "Mập"]

# --- Lao names (romanised) -----------------------------------------------------------------
LAO_GIVEN_HEAD = ["Boun", "Kham", "Souk", "Phone", "Vieng", "Chan", "Thong", "Seng", "Som",
                  "Keo", "Sai", "Vong", "Douang", "Phou", "Bua", "Sy", "Outh", "Noy", "Mani",
                  "Sou", "Vilay", "Sisa", "Lat", "Bounthan"]
LAO_GIVEN_TAIL = ["my", "phone", "savanh", "xay", "thone", "thala", "chanh", "kham", "vilay",
                  "sack", "sone", "phet", "lay", "daeng", "mala", "ly", "vanh", "thavy", "nith",
                  "phay", "samay", "thip"]
LAO_FAMILY_REAL = ["Phommachanh", "Vongsa", "Keomany", "Sisavath", "Boupha", "Chanthavong",
                   "Inthavong", "Souksavanh", "Sayavong", "Luangrath", "Phommavongsa",
                   "Thammavong", "Vilaysack", "Douangmala", "Xaysana", "Southammavong",
                   "Phanthavong", "Rattanavong", "Sengdara", "Khounvisith", "Manivong",
                   "Sihalath", "Keovongsa", "Vongphachanh", "Sengsouliya"]
LAO_FAMILY_HEAD = ["Phomma", "Vong", "Keo", "Sisa", "Chantha", "Intha", "Souk", "Saya",
                   "Luang", "Seng", "Thamma", "Vilay", "Khoun", "Douang", "Xay", "Phan",
                   "Ratta", "Southa", "Mani", "Siha", "Bouala", "Sonexay"]
LAO_FAMILY_TAIL = ["vong", "vongsa", "sith", "rath", "chanh", "mala", "vath", "sana", "pheth",
                   "thong", "xay", "sone", "kham", "vanh", "many", "pha", "souk", "lath",
                   "phachanh", "souliya"]
LAO_ALIAS_PREFIX = ["Ai", "Thao", "Xieng"]

# --- Places ------------------------------------------------------------------------------
# Vietnamese provinces: canonical ASCII -> (Vietnamese spelling, plate code, CCCD code, districts)
VN_PROVINCES: dict[str, tuple[str, str, str, list[str]]] = {
    "Nghe An": ("Nghệ An", "37", "040", ["Ky Son", "Tuong Duong", "Que Phong", "Con Cuong",
                                         "Thanh Chuong", "Vinh"]),
    "Ha Tinh": ("Hà Tĩnh", "38", "042", ["Huong Son", "Huong Khe", "Ha Tinh City"]),
    "Thanh Hoa": ("Thanh Hóa", "36", "038", ["Quan Son", "Muong Lat", "Quan Hoa",
                                             "Thanh Hoa City"]),
    "Dien Bien": ("Điện Biên", "27", "011", ["Dien Bien", "Dien Bien Phu", "Muong Nhe",
                                             "Tuan Giao"]),
    "Son La": ("Sơn La", "26", "014", ["Moc Chau", "Son La City", "Van Ho", "Mai Son"]),
    "Quang Tri": ("Quảng Trị", "74", "045", ["Huong Hoa", "Dakrong", "Dong Ha"]),
    "Hanoi": ("Hà Nội", "29", "001", ["Hoang Mai", "Dong Da", "Long Bien", "Cau Giay",
                                      "Ha Dong"]),
    "Ho Chi Minh City": ("Hồ Chí Minh", "51", "079", ["District 1", "Binh Tan", "Go Vap",
                                                     "Tan Binh", "District 8"]),
    "Hai Phong": ("Hải Phòng", "15", "031", ["Hai An", "Le Chan", "Ngo Quyen"]),
}
VN_BORDER_PROVINCES = ["Nghe An", "Thanh Hoa", "Dien Bien", "Son La", "Ha Tinh", "Quang Tri"]
VN_CITIES = ["Hanoi", "Ho Chi Minh City"]

# Lao provinces: canonical -> (ID code, districts)
LA_PROVINCES: dict[str, tuple[str, list[str]]] = {
    "Luang Namtha": ("03", ["Namtha", "Long", "Sing"]),
    "Bokeo": ("05", ["Houayxay", "Tonpheung"]),
    "Houaphanh": ("07", ["Xamneua", "Viengxay", "Xiengkho"]),
    "Xiengkhouang": ("09", ["Pek", "Nonghet", "Kham"]),
    "Bolikhamxay": ("11", ["Paksan", "Khamkeut", "Viengthong"]),
    "Khammouane": ("12", ["Thakhek", "Nakai"]),
    "Savannakhet": ("13", ["Kaysone Phomvihane", "Sepon", "Xayphouthong"]),
}

# Border gates: name -> (Vietnamese province, district of the gate)
GATES: dict[str, tuple[str, str]] = {
    "Nam Can": ("Nghe An", "Ky Son"),
    "Thanh Thuy": ("Nghe An", "Thanh Chuong"),
    "Cau Treo": ("Ha Tinh", "Huong Son"),
    "Na Meo": ("Thanh Hoa", "Quan Son"),
    "Tay Trang": ("Dien Bien", "Dien Bien"),
    "Lao Bao": ("Quang Tri", "Huong Hoa"),
}

GATE_VIETNAMESE = {"Nam Can": "Nậm Cắn", "Thanh Thuy": "Thanh Thủy", "Cau Treo": "Cầu Treo",
                   "Na Meo": "Na Mèo", "Tay Trang": "Tây Trang", "Lao Bao": "Lao Bảo"}

# Corridor catalogue: (origin Lao province, gate, seizure province, destination).
# Which ones dominate is drawn per seed.
CORRIDORS: list[tuple[str, str, str, str]] = [
    ("Xiengkhouang", "Nam Can", "Nghe An", "Hanoi"),
    ("Xiengkhouang", "Nam Can", "Nghe An", "Ho Chi Minh City"),
    ("Bokeo", "Tay Trang", "Dien Bien", "Hanoi"),
    ("Luang Namtha", "Tay Trang", "Dien Bien", "Hanoi"),
    ("Luang Namtha", "Tay Trang", "Son La", "Hanoi"),
    ("Houaphanh", "Na Meo", "Thanh Hoa", "Hanoi"),
    ("Houaphanh", "Na Meo", "Thanh Hoa", "Thanh Hoa"),
    ("Bolikhamxay", "Thanh Thuy", "Nghe An", "Nghe An"),
    ("Bolikhamxay", "Cau Treo", "Ha Tinh", "Ho Chi Minh City"),
    ("Khammouane", "Cau Treo", "Ha Tinh", "Hanoi"),
    ("Savannakhet", "Lao Bao", "Quang Tri", "Ho Chi Minh City"),
    ("Bokeo", "Nam Can", "Nghe An", "Hanoi"),
]

# --- Drugs -------------------------------------------------------------------------------
DRUGS = ["heroin", "methamphetamine", "methamphetamine tablets", "cannabis", "ketamine", "MDMA"]
HEROIN_CAKE_KG = 0.35  # one bánh of heroin
TABLET_KG = 0.0001  # ~0.1 g per methamphetamine / MDMA tablet, for kg-equivalents only

TRANSPORTS = ["road", "motorbike", "truck", "foot", "express delivery", "sea", "air"]
CORRIDOR_TRANSPORT_P = [0.22, 0.26, 0.2, 0.2, 0.12, 0.0, 0.0]
LOCAL_TRANSPORT_P = [0.3, 0.35, 0.05, 0.05, 0.15, 0.04, 0.06]

LINK_TYPES = ["co_offending", "money_transfer", "family", "meeting", "shared_vehicle",
              "shared_address"]
GRADINGS = ["1AP", "1BP", "2AP", "2BP", "2CP", "2BC", "3CP", "3DC", "3EC", ""]
GRADING_P = [0.03, 0.07, 0.1, 0.25, 0.12, 0.12, 0.1, 0.03, 0.02, 0.16]
# fmt: on
