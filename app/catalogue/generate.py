"""A generator of large, realistic, valid catalogues for tests and benchmarks: matter names
composed from real-looking parts, each matter with its own application form plus standard
materials shared across matters (so bundles de-duplicate), deterministic for a seed."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from app.rules.identity import uscc_check_char

DIVISION = "220800"

# (code, name, subjects regulated by it). Subjects combine with ACTIONS into matter names.
DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "SCJG",
        "白城市市场监督管理局",
        (
            "个体工商户",
            "有限责任公司",
            "股份有限公司",
            "农民专业合作社",
            "食品经营",
            "食品生产",
            "药品零售",
            "医疗器械经营",
            "特种设备",
            "计量器具",
            "广告发布",
            "外商投资企业",
        ),
    ),
    (
        "SWJ",
        "国家税务总局白城市税务局",
        ("增值税发票", "纳税人", "契税", "个人所得税", "税收优惠", "出口退税", "印花税"),
    ),
    (
        "GAJ",
        "白城市公安局",
        (
            "居民身份证",
            "户口",
            "居住证",
            "机动车",
            "驾驶证",
            "印章刻制",
            "典当业",
            "旅馆业",
            "保安服务",
            "犬只",
        ),
    ),
    (
        "RSJ",
        "白城市人力资源和社会保障局",
        (
            "社会保障卡",
            "养老保险",
            "失业保险",
            "工伤保险",
            "就业创业",
            "职业技能等级",
            "人力资源服务",
            "劳务派遣",
        ),
    ),
    (
        "YBJ",
        "白城市医疗保障局",
        ("城乡居民医保", "职工医保", "异地就医", "门诊慢特病", "生育津贴", "定点医药机构"),
    ),
    ("GJJ", "白城市住房公积金管理中心", ("住房公积金缴存", "住房公积金提取", "住房公积金贷款")),
    (
        "ZRZY",
        "白城市自然资源局",
        ("不动产", "国有建设用地", "建设工程规划", "临时用地", "测绘资质", "采矿权", "探矿权"),
    ),
    (
        "ZJJ",
        "白城市住房和城乡建设局",
        (
            "建筑工程施工",
            "商品房预售",
            "房地产开发企业",
            "建筑业企业资质",
            "物业服务",
            "城市供热",
            "城镇排水",
        ),
    ),
    (
        "MZJ",
        "白城市民政局",
        (
            "婚姻",
            "最低生活保障",
            "特困人员供养",
            "社会团体",
            "民办非企业单位",
            "养老机构",
            "殡葬服务",
            "高龄津贴",
        ),
    ),
    (
        "WJW",
        "白城市卫生健康委员会",
        (
            "医疗机构",
            "医师执业",
            "护士执业",
            "公共场所卫生",
            "生活饮用水卫生",
            "放射诊疗",
            "母婴保健技术服务",
            "出生医学证明",
        ),
    ),
    (
        "JTJ",
        "白城市交通运输局",
        (
            "道路货物运输",
            "道路旅客运输",
            "出租汽车",
            "机动车维修",
            "驾驶员培训",
            "公路超限运输",
            "网络预约出租汽车",
        ),
    ),
    (
        "STHJ",
        "白城市生态环境局",
        ("建设项目环境影响评价", "排污许可", "危险废物经营", "辐射安全", "环境监测"),
    ),
    (
        "WGLJ",
        "白城市文化广电和旅游局",
        (
            "娱乐场所",
            "旅行社",
            "营业性演出",
            "互联网上网服务场所",
            "广播电视节目制作",
            "文物保护工程",
        ),
    ),
    ("JYJ", "白城市教育局", ("民办学校", "教师资格", "校外培训机构", "学历证明")),
    (
        "NYJ",
        "白城市农业农村局",
        ("农药经营", "种子生产经营", "兽药经营", "动物防疫条件", "农机购置补贴", "渔业捕捞"),
    ),
    ("SLJ", "白城市水利局", ("取水", "河道管理范围内建设项目", "水土保持方案", "洪水影响评价")),
    ("LCJ", "白城市林业和草原局", ("林木采伐", "林草种子生产经营", "使用林地", "野生动物驯养繁殖")),
    (
        "YJJ",
        "白城市应急管理局",
        ("危险化学品经营", "烟花爆竹经营", "非煤矿山安全生产", "安全评价机构"),
    ),
    ("SWU", "白城市商务局", ("成品油零售", "二手车交易市场", "单用途商业预付卡", "对外贸易经营者")),
    ("FGW", "白城市发展和改革委员会", ("企业投资项目", "固定资产投资项目节能审查", "价格认定")),
    ("SFJ", "白城市司法局", ("律师执业", "基层法律服务工作者", "公证员", "法律援助", "人民调解员")),
    ("TYJ", "白城市退役军人事务局", ("退役士兵", "优待证", "烈士褒扬", "伤残抚恤")),
    (
        "CGJ",
        "白城市城市管理行政执法局",
        ("户外广告设施", "城市道路占用", "城市建筑垃圾处置", "城市绿地占用"),
    ),
    ("CLJ", "白城市残疾人联合会", ("残疾人证", "残疾人就业保障金", "残疾人辅助器具")),
    ("GD", "国网白城供电公司", ("低压居民用电", "低压非居民用电", "高压用电")),
    ("SWJT", "白城市水务集团", ("居民用水", "非居民用水", "排水接入")),
    ("RQ", "白城市燃气公司", ("居民燃气", "非居民燃气")),
)

ACTIONS: tuple[tuple[str, str, int], ...] = (
    # (action, kind, statutory working days)
    ("设立登记", "行政许可", 3),
    ("变更登记", "行政许可", 3),
    ("注销登记", "行政许可", 3),
    ("许可", "行政许可", 20),
    ("许可延续", "行政许可", 20),
    ("许可变更", "行政许可", 20),
    ("许可注销", "行政许可", 10),
    ("资格认定", "行政确认", 20),
    ("证书补领", "公共服务", 10),
    ("证书换领", "公共服务", 10),
    ("备案", "行政备案", 5),
    ("备案变更", "行政备案", 5),
    ("年度报告", "公共服务", 5),
    ("信息查询", "公共服务", 1),
    ("证明开具", "公共服务", 3),
    ("补贴申领", "行政给付", 20),
    ("待遇申领", "行政给付", 20),
    ("登记", "行政确认", 10),
    ("审核", "其他行政权力", 20),
    ("核查", "其他行政权力", 15),
    ("过户", "公共服务", 5),
    ("新装", "公共服务", 15),
    ("奖励申报", "行政奖励", 30),
    ("争议裁决", "行政裁决", 60),
    ("费用征收", "行政征收", 1),
)

QUALIFIERS: tuple[str, ...] = (
    "",
    "（新办）",
    "（首次申请）",
    "（分支机构）",
    "（个人）",
    "（单位）",
    "（跨省通办）",
    "（告知承诺）",
    "（简易程序）",
    "（一般程序）",
    "（市级权限）",
    "（县级权限）",
    "（延期）",
    "（遗失补办）",
    "（外省转入）",
    "（网上申请）",
    "（委托代办）",
)

# Standard materials shared across matters: (code, name, form, copies, source, paper, obtain).
STANDARD_MATERIALS: tuple[tuple[str, str, str, int, str, str, str], ...] = (
    (
        "SQRSFZ",
        "申请人居民身份证",
        "original_checked",
        0,
        "e_licence",
        "原件尺寸",
        "由户籍所在地公安机关户籍窗口办理",
    ),
    (
        "JBRSFZ",
        "经办人居民身份证",
        "original_checked",
        1,
        "applicant",
        "原件尺寸",
        "由户籍所在地公安机关户籍窗口办理",
    ),
    (
        "FDDBRSFZ",
        "法定代表人身份证件",
        "original_checked",
        0,
        "e_licence",
        "原件尺寸",
        "由法定代表人户籍所在地公安机关办理",
    ),
    (
        "YYZZ",
        "营业执照",
        "electronic",
        0,
        "e_licence",
        "不适用",
        "由市场监督管理部门核发，已通过电子证照共享调取",
    ),
    (
        "HKB",
        "居民户口簿",
        "original_checked",
        0,
        "e_licence",
        "原件尺寸",
        "由户籍所在地公安派出所签发",
    ),
    ("JHZ", "结婚证", "original_checked", 1, "e_licence", "原件尺寸", "由婚姻登记机关颁发"),
    (
        "BDCQZS",
        "不动产权证书",
        "original_checked",
        1,
        "e_licence",
        "原件尺寸",
        "由不动产登记中心核发",
    ),
    (
        "FWMMHT",
        "存量房买卖合同",
        "original_kept",
        1,
        "department",
        "A4",
        "在存量房交易网签备案系统签订后打印",
    ),
    ("GSZC", "公司章程", "original_kept", 1, "applicant", "A4", "参照章程范本制定，全体股东签署"),
    ("GDHJY", "股东会决议", "original_kept", 1, "applicant", "A4", "依章程召开股东会形成"),
    (
        "ZSSYZM",
        "住所（经营场所）使用证明",
        "copy",
        1,
        "applicant",
        "A4",
        "产权证明或租赁合同复印件",
    ),
    ("WTS", "授权委托书", "original_kept", 1, "applicant", "A4", "在窗口领取模板，由委托人签字"),
    (
        "ZP",
        "近期免冠彩色证件照片",
        "original_kept",
        2,
        "applicant",
        "原件尺寸",
        "政务服务中心自助照相机或照相馆拍摄",
    ),
    (
        "CSYXZM",
        "出生医学证明",
        "original_checked",
        1,
        "e_licence",
        "原件尺寸",
        "由婴儿出生的助产机构签发",
    ),
    ("SBK", "社会保障卡", "original_checked", 0, "applicant", "原件尺寸", "由社保卡服务网点办理"),
    ("YGMC", "参保职工花名册", "original_kept", 1, "applicant", "A4", "在窗口领取模板填写并盖章"),
    ("LDHT", "劳动合同", "copy", 1, "applicant", "A4", "由用人单位与职工签订"),
    ("JKZM", "从业人员健康证明", "copy", 1, "applicant", "A4", "到有资质的体检机构体检取得"),
    ("PMBJT", "场所平面布局图", "original_kept", 1, "applicant", "A4", "由申请人自行绘制"),
    ("AQZD", "安全管理制度", "original_kept", 1, "applicant", "A4", "由申请人自行编制"),
    ("ZYZGZS", "专业技术人员资格证书", "copy", 1, "applicant", "A4", "由发证机关核发"),
    ("CWBB", "上一年度财务报表", "copy", 1, "applicant", "A4", "由申请单位财务部门出具"),
    ("SJBG", "审计报告", "copy", 1, "applicant", "A4", "由会计师事务所出具"),
    ("YZBG", "验资报告", "copy", 1, "applicant", "A4", "由会计师事务所出具"),
    ("XYCN", "信用承诺书", "original_kept", 1, "applicant", "A4", "在窗口领取模板并签字"),
    ("HPPF", "环境影响评价批复", "copy", 1, "department", "A4", "由生态环境部门出具"),
    ("XFYS", "消防验收意见书", "copy", 1, "department", "A4", "由住房和城乡建设部门出具"),
    ("GHXK", "建设工程规划许可证", "copy", 1, "department", "A4", "由自然资源部门核发"),
    ("SGXK", "建筑工程施工许可证", "copy", 1, "department", "A4", "由住房和城乡建设部门核发"),
    ("TDZM", "土地使用权证明", "copy", 1, "e_licence", "A4", "由不动产登记中心核发"),
    ("ZLHT", "房屋租赁合同", "copy", 1, "applicant", "A4", "由出租方与承租方签订"),
    ("YHZH", "本人银行借记卡", "original_checked", 0, "applicant", "原件尺寸", "由开户银行办理"),
    ("TXZM", "退休证明", "electronic", 0, "department", "不适用", "由人社部门出具，数据共享获取"),
    ("BLZM", "病历及诊断证明", "copy", 1, "applicant", "A4", "由二级及以上医疗机构出具"),
    ("CJRZ", "残疾人证", "original_checked", 1, "e_licence", "原件尺寸", "由残疾人联合会核发"),
    (
        "XSZ",
        "机动车行驶证",
        "original_checked",
        1,
        "e_licence",
        "原件尺寸",
        "由公安交通管理部门核发",
    ),
    (
        "JSZ",
        "机动车驾驶证",
        "original_checked",
        1,
        "e_licence",
        "原件尺寸",
        "由公安交通管理部门核发",
    ),
    ("WFZZM", "无犯罪记录证明", "original_kept", 1, "department", "A4", "由公安机关出具"),
    ("XLZS", "学历证书", "copy", 1, "e_licence", "A4", "由学历教育机构颁发"),
    ("JSFA", "技术方案", "original_kept", 2, "applicant", "A4", "由申请人或委托的技术单位编制"),
)

CONDITIONS: tuple[str, ...] = (
    "委托他人代为办理的",
    "申请人为外籍人员的",
    "涉及前置审批的",
    "已婚的",
    "变更住所的",
    "申请费用减免的",
    "以分支机构名义申请的",
    "原证件遗失的",
)

BUNDLE_EVENTS: tuple[str, ...] = (
    "企业开办",
    "企业注销",
    "出生",
    "入学",
    "退休",
    "就业",
    "失业",
    "结婚",
    "身后",
    "二手房交易",
    "新建商品房交易",
    "开办餐饮店",
    "开办便利店",
    "开办药店",
    "开办旅馆",
    "开办健身房",
    "开办美容店",
    "开办超市",
    "开办幼儿园",
    "开办养老机构",
    "开办诊所",
    "开办汽车维修店",
    "开办网吧",
    "开办书店",
    "开办洗浴场所",
    "残疾人服务",
    "退役军人服务",
    "水电气网联合报装",
    "工程建设项目开工",
    "员工录用",
)

FEES: tuple[tuple[int, str], ...] = (
    (10, "《吉林省行政事业性收费目录清单》工本费"),
    (20, "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》"),
    (80, "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》"),
    (550, "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（非住宅类）"),
)

# State Council schedule 2026 (the same as the demo catalogue's).
CALENDAR_2026: tuple[tuple[str, bool, str], ...] = (
    ("2026-01-01", False, "元旦"),
    ("2026-01-02", False, "元旦"),
    ("2026-01-03", False, "元旦"),
    ("2026-01-04", True, "元旦调休上班"),
    *((f"2026-02-{d}", False, "春节") for d in range(15, 24)),
    ("2026-02-14", True, "春节调休上班"),
    ("2026-02-28", True, "春节调休上班"),
    ("2026-04-04", False, "清明节"),
    ("2026-04-05", False, "清明节"),
    ("2026-04-06", False, "清明节"),
    *((f"2026-05-0{d}", False, "劳动节") for d in range(1, 6)),
    ("2026-05-09", True, "劳动节调休上班"),
    ("2026-06-19", False, "端午节"),
    ("2026-06-20", False, "端午节"),
    ("2026-06-21", False, "端午节"),
    ("2026-09-25", False, "中秋节"),
    ("2026-09-26", False, "中秋节"),
    ("2026-09-27", False, "中秋节"),
    *((f"2026-10-0{d}", False, "国庆节") for d in range(1, 8)),
    ("2026-09-20", True, "国庆节调休上班"),
    ("2026-10-10", True, "国庆节调休上班"),
)

_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(rng: random.Random) -> str:
    first17 = "11" + DIVISION + "".join(rng.choice(_USCC_BODY) for _ in range(9))
    return first17 + uscc_check_char(first17)


_SUBJECTS = [(d, subject) for d, (_, _, subjects) in enumerate(DEPARTMENTS) for subject in subjects]
_COMBINATIONS = len(_SUBJECTS) * len(ACTIONS) * len(QUALIFIERS)


def _names(rng: random.Random, count: int) -> list[tuple[int, str, str, int]]:
    """`count` distinct (department index, name, kind, legal days), in a random order. Drawn
    as numbers of combinations, so that a small catalogue costs little."""
    out: list[tuple[int, str, str, int]] = []
    batch = 1
    while len(out) < count:
        # Beyond all combinations, number the batches so that names stay distinct.
        suffix = "" if batch == 1 else f"（第{batch}批）"
        for n in rng.sample(range(_COMBINATIONS), min(count - len(out), _COMBINATIONS)):
            rest, q = divmod(n, len(QUALIFIERS))
            s, a = divmod(rest, len(ACTIONS))
            d, subject = _SUBJECTS[s]
            action, kind, days = ACTIONS[a]
            out.append((d, subject + action + QUALIFIERS[q] + suffix, kind, days))
        batch += 1
    return out


def _material(
    rng: random.Random, standard: tuple[str, str, str, int, str, str, str], allows_gap: bool
) -> dict[str, Any]:
    code, name, form, copies, source, paper, obtain = standard
    roll = rng.random()
    necessity = "required" if roll < 0.7 else ("conditional" if roll < 0.9 else "optional")
    out: dict[str, Any] = {
        "code": code,
        "name": name,
        "form": form,
        "copies": copies,
        "necessity": necessity,
    }
    if necessity == "conditional":
        out["condition"] = rng.choice(CONDITIONS)
    out |= {
        "tolerable": allows_gap and rng.random() < 0.3,
        "source": source,
        "paper_size": paper,
        "note": "" if rng.random() < 0.6 else "须加盖单位公章或由本人签字",
        "obtain": obtain,
    }
    return out


def generate_catalogue(
    matters: int = 20_000, materials_per_matter: int = 4, seed: int = 0
) -> dict[str, Any]:
    """A valid catalogue with `matters` matters, each with its own application form plus
    `materials_per_matter - 1` shared standard materials. Deterministic for the arguments."""
    if matters < 0 or materials_per_matter < 0:
        raise ValueError("matters and materials_per_matter must not be negative")
    if materials_per_matter > len(STANDARD_MATERIALS) + 1:
        raise ValueError(f"at most {len(STANDARD_MATERIALS) + 1} materials per matter")
    rng = random.Random(seed)
    usccs = [_uscc(rng) for _ in DEPARTMENTS]
    sequence = [0] * len(DEPARTMENTS)
    matter_list: list[dict[str, Any]] = []
    for n, (d, name, kind, legal) in enumerate(_names(rng, matters)):
        sequence[d] += 1
        code = f"{usccs[d]}-{sequence[d]:05d}-{DIVISION}-00"
        allows_gap = rng.random() < 0.5
        fee_roll = rng.random()
        fee, basis = FEES[int(fee_roll * 40) % len(FEES)] if fee_roll < 0.1 else (0, "不收费")
        materials: list[dict[str, Any]] = []
        if materials_per_matter:
            materials.append(
                {
                    "code": f"SQB{n:06d}",
                    "name": f"{name}申请表",
                    "form": "original_kept",
                    "copies": 1,
                    "necessity": "required",
                    "tolerable": False,
                    "source": "applicant",
                    "paper_size": "A4",
                    "note": "须由申请人签字",
                    "obtain": "在窗口领取或从政务服务网下载",
                    "blank_form": f"SQB{n:06d}.pdf",
                    "role": "application_form",
                }
            )
            for standard in rng.sample(STANDARD_MATERIALS, materials_per_matter - 1):
                materials.append(_material(rng, standard, allows_gap))
        matter_list.append(
            {
                "code": code,
                "name": name,
                "department": DEPARTMENTS[d][0],
                "kind": kind,
                "legal_days": legal,
                "promised_days": rng.randint(0, legal) if legal else 0,
                "fee_yuan": fee,
                "fee_basis": basis,
                "allows_pledge": rng.random() < 0.2,
                "allows_gap": allows_gap,
                "visit_class": rng.choices(("零上门", "只跑一次", "其他"), (3, 6, 1))[0],
                "place": f"白城市政务服务中心{rng.choice('一二三')}楼 {rng.randint(1, 60)}号窗口",
                "materials": materials,
            }
        )
        matter = matter_list[-1]
        if matter["promised_days"] <= 1:
            # No 容缺 where no working day is left to supply it and then decide.
            matter["allows_gap"] = False
            for material in materials:
                material["tolerable"] = False
        elif allows_gap:
            matter["gap_policy"] = "白城市政务服务事项容缺受理制度（生成数据）"
    bundle_count = 0 if matters < 2 else max(1, min(len(BUNDLE_EVENTS), matters // 200))
    bundles = []
    for b in range(bundle_count):
        members = rng.sample(matter_list, min(matters, rng.randint(2, 5)))
        bundles.append(
            {
                "code": f"YJS{b + 1:03d}",
                "name": f"{BUNDLE_EVENTS[b]}一件事",
                "description": "、".join(m["name"] for m in members) + "一次办理。",
                "matters": [m["code"] for m in members],
            }
        )
    return {
        "format": "onewindow-catalogue/1",
        "version": f"gen-{matters}-{materials_per_matter}-{seed}",
        "name": f"合成测试目录（{matters} 个事项，随机种子 {seed}；非真实数据）",
        "demo": True,
        "departments": [{"code": c, "name": n} for c, n, _ in DEPARTMENTS],
        "matters": matter_list,
        "bundles": bundles,
        "calendar": [
            {"date": day, "workday": workday, "name": name} for day, workday, name in CALENDAR_2026
        ],
    }


def write_catalogue(
    path: Path, matters: int = 20_000, materials_per_matter: int = 4, seed: int = 0
) -> None:
    data = generate_catalogue(matters, materials_per_matter, seed)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def cmd_generate(out_path: str | Path, matters: int) -> int:
    """`python -m app catalogue generate OUT --matters N`."""
    if matters < 0:
        print("事项数不能为负数")
        return 2
    write_catalogue(Path(out_path), matters)
    print(f"已生成 {matters} 个事项的合成目录：{out_path}")
    return 0
