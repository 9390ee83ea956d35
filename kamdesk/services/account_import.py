"""Import an existing account list from .xlsx or .csv: read, map columns, validate, commit.

Three steps the dialog shows one by one: ``read_table`` (encoding detected: UTF-8 with or
without BOM, else GBK/GB18030), ``AccountImporter.preview`` (every row validated with
``kamdesk.domain.fields``; duplicates of existing accounts found by licence number or by
name + address; two rows for the same shop, or merging into the same account, are an issue)
and ``AccountImporter.commit`` (one transaction: a bad file changes nothing).

Limits, checked before anything is read: a file over ``MAX_IMPORT_BYTES`` is refused from its
size alone; an .xlsx whose members would unpack to more than ``MAX_XLSX_UNPACKED_BYTES`` (a zip
bomb) is refused from its zip directory. Cells are normalised the same way for both formats:
surrounding whitespace stripped, line ends (CRLF, CR) turned into LF. An .xlsx formula cell
gives its cached value (empty when the file holds none). Anything an unreadable file raises
becomes ``ImportError_`` with a specific ``code``; a bad row becomes an ``ImportIssue``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Territory
from kamdesk.domain.enums import BUSINESS_FORMAT_ZH
from kamdesk.domain.fields import ACCOUNT_FIELDS, clean_value
from kamdesk.errors import KamdeskError, ValidationError
from kamdesk.services.accounts import create_account_in, update_account_in

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_MEMBERS = 10_000
MAX_ROWS = 100_000


class ImportError_(KamdeskError):  # trailing _: not the builtin ImportError
    code = "import"


@dataclass(frozen=True, slots=True)
class RawTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    encoding: str  # "xlsx", "utf-8", "utf-8-sig" or "gb18030"


@dataclass(frozen=True, slots=True)
class ImportIssue:
    row: int  # 1-based row in the file, the header being row 1
    column: str  # the file's header text
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportRecord:
    row: int
    fields: Mapping[str, Any]
    match_id: str | None  # an existing account this row duplicates
    match_reason: str  # "licence" | "name_address" | ""
    changes: Mapping[str, Any]  # for a match: what a merge would update


@dataclass(frozen=True, slots=True)
class ImportPreview:
    records: tuple[ImportRecord, ...]
    issues: tuple[ImportIssue, ...]

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.records if r.match_id is None)

    @property
    def duplicate_count(self) -> int:
        return sum(1 for r in self.records if r.match_id is not None)


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    merged: int
    skipped: int
    created_ids: tuple[str, ...]


# header aliases (lower case, spaces removed) -> account field
HEADER_ALIASES: dict[str, str] = {}
for _field, _aliases in {
    "code": ("客户编码", "编码", "客户代码", "code", "accountcode", "customercode"),
    "name": ("店名", "客户名称", "名称", "店铺名称", "零售户名称", "name", "shopname", "shop"),
    "legal_name": ("工商名称", "企业名称", "legalname"),
    "licence_no": (
        "许可证号",
        "许可证",
        "烟草专卖许可证号",
        "专卖许可证号",
        "licence",
        "license",
        "licenceno",
        "licenseno",
        "licencenumber",
        "licensenumber",
    ),
    "licence_expiry": ("许可证到期", "许可证有效期", "licenceexpiry", "licenseexpiry"),
    "owner_name": ("负责人", "店主", "法人", "经营者", "owner", "ownername"),
    "phone": ("电话", "联系电话", "手机", "手机号", "phone", "tel", "telephone", "mobile"),
    "business_format": ("业态", "经营业态", "类型", "format", "businessformat", "type"),
    "address": ("地址", "经营地址", "详细地址", "address"),
    "district": ("区", "区县", "片区", "所属区域", "district", "area"),
    "street": ("街道", "street"),
    "latitude": ("纬度", "latitude", "lat"),
    "longitude": ("经度", "longitude", "lng", "lon"),
    "area_m2": ("经营面积", "经营面积(㎡)", "面积", "floorarea", "floorarea(m²)", "aream2"),
    "relationship_grade": ("关系等级", "relationshipgrade", "grade"),
    "credit_limit_fen": ("信用额度", "信用额度(元)", "creditlimit"),
    "credit_terms_days": ("账期", "账期(天)", "creditterms", "credittermsdays"),
    "remarks": ("备注", "remarks", "notes", "note"),
    "tags": ("标签", "tags"),
}.items():
    for _alias in _aliases:
        HEADER_ALIASES[_alias.lower().replace(" ", "")] = _field

_FORMATS: dict[str, str] = {zh: fmt.value for fmt, zh in BUSINESS_FORMAT_ZH.items()}
_FORMATS.update({fmt.value: fmt.value for fmt in BUSINESS_FORMAT_ZH})
_FORMATS.update({"烟酒": "tobacco_liquor", "食杂": "grocery", "便利": "convenience"})
_LIST_SPLIT = re.compile(r"[,，、;；/]")


# -- step 1: read --------------------------------------------------------------------------
def read_table(path: Path) -> RawTable:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportError_(
            f"无法读取 {path.name} / Cannot read {path.name}: {exc.strerror}",
            code="import.unreadable",
        ) from exc
    if size > MAX_IMPORT_BYTES:
        limit, megabytes = MAX_IMPORT_BYTES // 1048576, -(-size // 1048576)  # rounded up
        raise ImportError_(
            f"文件有{megabytes} MB，超过{limit} MB的上限 / {path.name} is {megabytes} MB; "
            f"at most {limit} MB can be imported",
            code="import.too_large",
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path.read_bytes())
    raise ImportError_(
        f"只支持 .xlsx 和 .csv 文件 / Only .xlsx and .csv files can be imported ({path.name})",
        code="import.unsupported",
    )


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"  # GB18030 is a superset of GBK and GB2312
    except UnicodeDecodeError as exc:
        raise ImportError_(
            "文件编码无法识别（应为UTF-8或GBK） / The file is neither UTF-8 nor GBK text",
            code="import.encoding",
        ) from exc


def _read_csv(data: bytes) -> RawTable:
    try:
        text, encoding = _decode(data)
    except UnicodeDecodeError as exc:
        raise ImportError_(
            "文件编码无法识别（应为UTF-8或GBK） / The file is neither UTF-8 nor GBK text",
            code="import.encoding",
        ) from exc
    if "\x00" in text:
        raise ImportError_(
            "这不是文本表格文件 / This is not a CSV text file (it contains NUL bytes)",
            code="import.malformed",
        )
    try:
        rows = [
            tuple(_clean_cell(c) for c in r)
            for r in csv.reader(io.StringIO(text, newline=""), _dialect(text))
        ]
    except csv.Error as exc:
        raise ImportError_(
            f"CSV格式错误 / The CSV file is malformed: {exc}", code="import.malformed"
        ) from exc
    return _table(rows, encoding)


class _Comma(csv.excel):
    """RFC 4180 quoting (doubled quotes); only the delimiter varies."""


class _Semicolon(_Comma):
    delimiter = ";"


class _Tab(_Comma):
    delimiter = "\t"


def _dialect(text: str) -> type[csv.Dialect]:
    """The delimiter (comma, semicolon or tab) that splits the header record into most cells.

    Deliberately not ``csv.Sniffer``: it also guesses the quoting from the data and, fed
    ordinary cells that hold quotes or delimiters, can pick a dialect that silently splits or
    merges cells."""
    head = text[:65536]
    best: type[csv.Dialect] = _Comma
    most = 0
    for dialect in (_Comma, _Semicolon, _Tab):
        try:
            cells = len(next(csv.reader(io.StringIO(head, newline=""), dialect), []))
        except csv.Error:
            continue
        if cells > most:
            best, most = dialect, cells
    return best


def _clean_cell(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _clean_cell(str(value))


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    def malformed(exc: BaseException) -> ImportError_:
        return ImportError_(
            f"不是有效的Excel文件 / {path.name} is not a valid .xlsx workbook",
            code="import.malformed",
            reason=f"{type(exc).__name__}: {exc}",
        )

    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, InvalidFileException, KeyError... or anything else
        raise malformed(exc) from exc  # a damaged workbook can break openpyxl anywhere
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportError_("工作簿没有工作表 / The workbook has no sheet", code="import.empty")
        rows: list[tuple[str, ...]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(tuple(_cell(v) for v in values))
            if len(rows) > MAX_ROWS + 1:
                break
    except KamdeskError:
        raise
    except Exception as exc:  # damaged sheet XML, shared strings, styles...
        raise malformed(exc) from exc
    finally:
        workbook.close()
    return _table(rows, "xlsx")


def _check_unpacked_size(path: Path) -> None:
    """Refuse a zip bomb from the zip directory alone, before openpyxl unpacks anything.

    The declared sizes bind: :mod:`zipfile` never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportError_(
            f"不是有效的Excel文件 / {path.name} is not a valid .xlsx workbook",
            code="import.malformed",
        ) from exc
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportError_(
            f"Excel文件解压后有{unpacked / 1048576:.0f} MB，超过"
            f"{MAX_XLSX_UNPACKED_BYTES // 1048576} MB的上限 / {path.name} would "
            f"unpack to {unpacked / 1048576:.0f} MB in {len(members)} parts; at most "
            f"{MAX_XLSX_UNPACKED_BYTES // 1048576} MB can be imported",
            code="import.too_large",
        )


def _table(rows: list[tuple[str, ...]], encoding: str) -> RawTable:
    rows = [r for r in rows if any(r)]
    if not rows:
        raise ImportError_("文件是空的 / The file or sheet is empty", code="import.empty")
    if len(rows) > MAX_ROWS + 1:
        raise ImportError_(
            f"最多导入{MAX_ROWS}行 / At most {MAX_ROWS} rows can be imported at once",
            code="import.too_many_rows",
        )
    headers = rows[0]
    width = len(headers)
    body = tuple(tuple((list(r) + [""] * width)[:width]) for r in rows[1:])
    if not body:
        raise ImportError_(
            "文件只有表头没有数据 / The file has a header but no rows", code="import.empty"
        )
    return RawTable(headers=tuple(headers), rows=body, encoding=encoding)


def auto_map(headers: Sequence[str]) -> dict[int, str]:
    """Column index -> account field for every header we recognise (each field once)."""
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = header.lower().replace(" ", "").replace("（", "(").replace("）", ")")
        target = HEADER_ALIASES.get(key) or HEADER_ALIASES.get(key.split("(")[0])
        if target and target not in used:
            mapping[index] = target
            used.add(target)
    return mapping


# -- step 2: validate ----------------------------------------------------------------------
def _convert(field: str, raw: str) -> Any:
    spec = ACCOUNT_FIELDS[field]
    if raw == "":
        return None
    if field == "business_format":
        return _FORMATS.get(raw.strip().lower(), _FORMATS.get(raw.strip(), raw.strip()))
    if spec.kind == "money":  # files give yuan; we store fen
        try:
            return round(float(raw.replace(",", "").replace("¥", "")) * 100)
        except (ValueError, OverflowError):  # not a number, NaN or infinite
            return raw
    if spec.kind == "list":
        return [p for p in _LIST_SPLIT.split(raw) if p.strip()]
    if spec.kind == "bool":
        return raw.strip().lower() in {"是", "y", "yes", "true", "1"}
    return raw


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "").lower()


class AccountImporter:
    def __init__(self, store: Store, actor_id: str | None = None) -> None:
        self._store = store
        self._actor = actor_id

    def preview(self, table: RawTable, mapping: Mapping[int, str]) -> ImportPreview:
        issues: list[ImportIssue] = []
        fields_mapped = set(mapping.values())
        for required in ("name",):
            if required not in fields_mapped:
                spec = ACCOUNT_FIELDS[required]
                issues.append(
                    ImportIssue(
                        1,
                        "",
                        required,
                        f"缺少“{spec.label_zh}”列 / No column is mapped to {spec.label_en}",
                    )
                )
        if issues:
            return ImportPreview((), tuple(issues))
        with self._store.session() as session:
            existing = session.execute(
                select(Account.id, Account.licence_no, Account.name, Account.address).where(
                    Account.deleted.is_(False)
                )
            ).all()
            codes = set(session.scalars(select(Account.code)).all())
        by_licence = {lic.upper(): aid for aid, lic, _n, _a in existing if lic}
        by_name_addr = {(_norm(n), _norm(a)): aid for aid, _l, n, a in existing}
        records: list[ImportRecord] = []
        seen_licence: dict[str, int] = {}
        seen_codes: dict[str, int] = {}
        seen_name_addr: dict[tuple[str, str], int] = {}
        seen_targets: dict[str, int] = {}  # existing account id -> the row merging into it
        for offset, raw_row in enumerate(table.rows):
            row_no = offset + 2
            fields: dict[str, Any] = {}
            row_ok = True
            for index, field in mapping.items():
                raw = raw_row[index] if index < len(raw_row) else ""
                try:
                    value = clean_value(field, ACCOUNT_FIELDS[field], _convert(field, raw))
                except ValidationError as exc:
                    issues.append(ImportIssue(row_no, table.headers[index], field, exc.message))
                    row_ok = False
                    continue
                if value not in (None, "", []):
                    fields[field] = value
            if not row_ok:
                continue
            if "name" not in fields:
                issues.append(
                    ImportIssue(
                        row_no,
                        self._header(table, mapping, "name"),
                        "name",
                        "店名：不能为空 / Shop name: is required",
                    )
                )
                continue
            licence = str(fields.get("licence_no", "")).upper()
            if licence:
                if licence in seen_licence:
                    issues.append(
                        ImportIssue(
                            row_no,
                            self._header(table, mapping, "licence_no"),
                            "licence_no",
                            f"许可证号与第{seen_licence[licence]}行重复 / "
                            f"same licence number as row {seen_licence[licence]}",
                        )
                    )
                    continue
                seen_licence[licence] = row_no
            match_id, reason = None, ""
            if licence and licence in by_licence:
                match_id, reason = by_licence[licence], "licence"
            else:
                key = (_norm(fields["name"]), _norm(str(fields.get("address", ""))))
                if not licence and key in seen_name_addr:  # the same shop twice: which is right?
                    issues.append(
                        ImportIssue(
                            row_no,
                            self._header(table, mapping, "name"),
                            "name",
                            f"店名和地址与第{seen_name_addr[key]}行相同 / "
                            f"same shop name and address as row {seen_name_addr[key]}",
                        )
                    )
                    continue
                seen_name_addr.setdefault(key, row_no)
                if key in by_name_addr:
                    match_id, reason = by_name_addr[key], "name_address"
            if match_id is not None and match_id in seen_targets:
                issues.append(
                    ImportIssue(
                        row_no,
                        self._header(table, mapping, "name"),
                        "name",
                        f"与第{seen_targets[match_id]}行是同一个已有客户 / the same existing "
                        f"account as row {seen_targets[match_id]}",
                    )
                )
                continue
            if match_id is not None:
                seen_targets[match_id] = row_no
            code = fields.get("code")
            if match_id is None and code:
                if code in codes or code in seen_codes:
                    issues.append(
                        ImportIssue(
                            row_no,
                            self._header(table, mapping, "code"),
                            "code",
                            f"客户编码 {code} 已被使用 / account code {code} is already used",
                        )
                    )
                    continue
                seen_codes[code] = row_no
            if match_id is None and "business_format" not in fields:
                fields["business_format"] = "grocery"  # the commonest format; editable later
            records.append(ImportRecord(row_no, fields, match_id, reason, {}))
        if issues:
            return ImportPreview(tuple(records), tuple(issues))
        return ImportPreview(tuple(self._with_changes(records)), ())

    @staticmethod
    def _header(table: RawTable, mapping: Mapping[int, str], field: str) -> str:
        for index, name in mapping.items():
            if name == field:
                return table.headers[index]
        return ""

    def _with_changes(self, records: list[ImportRecord]) -> list[ImportRecord]:
        ids = [r.match_id for r in records if r.match_id]
        if not ids:
            return records
        current: dict[str, dict[str, Any]] = {}
        with self._store.session() as session:
            for start in range(0, len(ids), 500):
                for account in session.scalars(
                    select(Account).where(Account.id.in_(ids[start : start + 500]))
                ):
                    current[account.id] = {f: getattr(account, f) for f in ACCOUNT_FIELDS}
        out: list[ImportRecord] = []
        for record in records:
            if record.match_id is None:
                out.append(record)
                continue
            old = current.get(record.match_id, {})
            changes = {k: v for k, v in record.fields.items() if k != "code" and old.get(k) != v}
            out.append(
                ImportRecord(
                    record.row, record.fields, record.match_id, record.match_reason, changes
                )
            )
        return out

    # -- step 3: commit ------------------------------------------------------------------
    def commit(
        self, preview: ImportPreview, *, merge: bool = True, territory_id: str | None = None
    ) -> ImportResult:
        """Write every row in ONE transaction; any error rolls the whole import back."""
        if not preview.ok:
            raise ImportError_(
                f"文件有{len(preview.issues)}处错误，未导入任何数据 / "
                f"The file has {len(preview.issues)} problem(s); nothing was imported",
                code="import.invalid",
            )
        created: list[str] = []
        merged = skipped = 0
        with self._store.session() as session:
            territory = territory_id or self._default_territory(session)
            next_code = self._code_counter(session)
            for record in preview.records:
                if record.match_id is not None:
                    if not merge or not record.changes:
                        skipped += 1
                        continue
                    account = session.get(Account, record.match_id)
                    if account is None or account.deleted:
                        raise ImportError_(
                            f"第{record.row}行要合并的客户已被删除 / row {record.row}: the "
                            "account to merge into was deleted meanwhile",
                            code="import.stale",
                        )
                    update_account_in(session, account, dict(record.changes), self._actor)
                    merged += 1
                    continue
                fields = dict(record.fields)
                if not fields.get("code"):
                    fields["code"] = next_code()
                for name, spec in ACCOUNT_FIELDS.items():
                    if spec.required and name not in fields:
                        fields[name] = clean_value(name, spec, None)
                created.append(create_account_in(session, territory, fields, self._actor))
                session.flush()
        return ImportResult(len(created), merged, skipped, tuple(created))

    @staticmethod
    def _default_territory(session: Any) -> str:
        row = session.execute(
            select(Account.territory_id, func.count())
            .where(Account.deleted.is_(False))
            .group_by(Account.territory_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        if row is not None:
            return str(row[0])
        territory = session.scalar(select(Territory.id).limit(1))
        if territory is None:
            raise ImportError_(
                "工作区还没有片区 / This workspace has no territory to import into",
                code="import.no_territory",
            )
        return str(territory)

    @staticmethod
    def _code_counter(session: Any) -> Any:
        used = set(session.scalars(select(Account.code)).all())
        stamp = date.today().strftime("%y%m%d")
        counter = Counter({"n": 0})

        def next_code() -> str:
            while True:
                counter["n"] += 1
                code = f"IMP{stamp}{counter['n']:04d}"
                if code not in used:
                    used.add(code)
                    return code

        return next_code
