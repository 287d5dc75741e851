"""Fill the English catalogue from the tables here and in tools/en/*.py, then compile it.

Developer tool: `make messages` refreshes locale/en/LC_MESSAGES/django.po from the
code; this script adds the English of every msgid listed in EN (and PLURALS) here
or in a module of tools/en/ (one per app, so that work on two apps does not edit
one file). Needs polib."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/en/LC_MESSAGES/django.po"

EN = {
    "Vai trò và địa bàn": "Role and area",
    "Tài khoản": "Accounts",
    "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sai %(limit)s lần liên tiếp, tài khoản sẽ bị tạm khóa.":
        "Wrong username or password. Note: after %(limit)s failures in a row the account is locked for a while.",
    "Tài khoản này đã bị vô hiệu hóa.": "This account has been disabled.",
    "Cán bộ Công an phường, xã": "Ward police officer",
    "Thành viên Ban Chỉ đạo cấp huyện": "District steering committee member",
    "Cán bộ Công an tỉnh": "Provincial police staff",
    "Quản trị hệ thống": "System administrator",
    "Họ và tên": "Full name",
    "Vai trò": "Role",
    "Phường, xã": "Ward/commune",
    "Quận, huyện": "District",
    "Chức vụ": "Position",
    "Người dùng": "Users",
    "Cán bộ phường, xã phải thuộc đúng một phường, xã.": "A ward officer must belong to exactly one ward.",
    "Thành viên Ban Chỉ đạo phải thuộc một quận, huyện.": "A committee member must belong to a district.",
    "Tiếng Việt": "Tiếng Việt",
    "English": "English",
    "Tạo mới": "Created",
    "Sửa": "Edit",
    "Xóa": "Deleted",
    "Có": "Yes",
    "Không": "No",
    "Mô hình tự quản về ANTT": "Self-management security models",
    "Phong trào toàn dân bảo vệ ANTQ": "All-people movement to protect national security",
    "VD: Trường THCS Vinh Tân": "e.g. Vinh Tân Lower Secondary School",
    "Bạn không được thêm đơn vị vào phường, xã này.": "You may not add units to this ward.",
    "Chỉ điền với nhà trường.": "Schools only.",
    "Lưu": "Save",
    "Tên đơn vị không được để trống.": "The unit name cannot be empty.",
    "Chỉ nhà trường mới có cấp học.": "Only schools have a school level.",
    "Tìm kiếm": "Search",
    "Tên hoặc địa chỉ, gõ có dấu hay không dấu": "Name or address, with or without diacritics",
    "Tất cả": "All",
    "Loại đơn vị": "Unit kind",
    "Trạng thái": "Status",
    "Đang hoạt động": "Active",
    "Ngừng hoạt động": "Inactive",
    "Tên tỉnh": "Province name",
    "Tỉnh, thành phố trực thuộc TW": "Provinces",
    "Hiệu lực từ ngày": "Valid from",
    "Hiệu lực đến ngày": "Valid to",
    "Thành phố": "City",
    "Thị xã": "Town",
    "Huyện": "Rural district",
    "Tỉnh": "Province",
    "Tên": "Name",
    "Loại": "Kind",
    "Đơn vị kế thừa": "Successor",
    "Quận, huyện, thị xã, thành phố": "Districts",
    "Phường": "Ward",
    "Xã": "Commune",
    "Thị trấn": "Township",
    "Phường, xã tiếp nhận địa bàn sau khi sáp nhập.": "The ward that took over this area after a merger.",
    "Phường, xã, thị trấn": "Wards and communes",
    "Cơ quan": "Agency",
    "Doanh nghiệp": "Enterprise",
    "Nhà trường": "School",
    "Khu dân cư": "Residential block",
    "Ký túc xá": "Dormitory",
    "Khác": "Other",
    "Mầm non": "Preschool",
    "Tiểu học": "Primary",
    "Trung học cơ sở": "Lower secondary",
    "Trung học phổ thông": "Upper secondary",
    "Trung cấp, giáo dục nghề nghiệp": "Vocational",
    "Cao đẳng": "College",
    "Đại học": "University",
    "Tên đơn vị": "Unit name",
    "Cấp học": "School level",
    "Địa chỉ": "Address",
    "Người đứng đầu": "Head of unit",
    "Số người": "Headcount",
    "Cán bộ, nhân viên, học sinh hoặc nhân khẩu.": "Staff, pupils or residents.",
    "Ngày tạo": "Created",
    "Ngày cập nhật": "Updated",
    "Đơn vị": "Units",
    "Phường, xã này đã có một đơn vị cùng tên.": "This ward already has a unit with this name.",
    "Dòng 1: tệp thiếu cột %(columns)s (cần các cột: %(required)s).":
        "Line 1: the file lacks the column(s) %(columns)s (required: %(required)s).",
    "cột %(column)s để trống": "column %(column)s is empty",
    "loại quận, huyện “%(kind)s” không hợp lệ (Thành phố, Thị xã, Huyện)":
        "district kind “%(kind)s” is not valid (Thành phố, Thị xã, Huyện)",
    "loại phường, xã “%(kind)s” không hợp lệ (Phường, Xã, Thị trấn)":
        "ward kind “%(kind)s” is not valid (Phường, Xã, Thị trấn)",
    "cột %(column)s: “%(value)s” không phải ngày (dd/mm/yyyy)": "column %(column)s: “%(value)s” is not a date (dd/mm/yyyy)",
    "ngày hết hiệu lực trước ngày có hiệu lực": "valid_to is before valid_from",
    "trùng với dòng %(line)d": "same as line %(line)d",
    "Dòng %(line)d: %(errors)s.": "Line %(line)d: %(errors)s.",
    "Tệp không có dòng dữ liệu nào.": "The file has no data rows.",
    "Tài khoản của bạn không được thêm đơn vị.": "Your account may not add units.",
    "Đã thêm đơn vị “%(name)s”.": "Unit “%(name)s” added.",
    "Bạn không được sửa đơn vị của phường, xã khác.": "You may not edit another ward's units.",
    "Đã lưu thay đổi của đơn vị “%(name)s”.": "Changes to “%(name)s” saved.",
    "Không có quyền truy cập": "Access denied",
    "Không có quyền truy cập (403)": "Access denied (403)",
    "Tài khoản của bạn không được phép thực hiện thao tác này.": "Your account is not allowed to do this.",
    "Nếu bạn cho rằng đây là nhầm lẫn, hãy liên hệ quản trị hệ thống.":
        "If you think this is a mistake, contact the system administrator.",
    "Về trang chủ": "Back to the home page",
    "Không tìm thấy trang": "Page not found",
    "Không tìm thấy trang (404)": "Page not found (404)",
    "Trang hoặc bản ghi bạn tìm không tồn tại, đã bị xóa, hoặc nằm ngoài địa bàn bạn được xem.":
        "The page or record does not exist, was deleted, or lies outside the area you may see.",
    "Tài khoản tạm khóa": "Account locked",
    "Tài khoản tạm thời bị khóa": "Account temporarily locked",
    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút, hoặc liên hệ quản trị hệ thống.":
        "Too many failed logins. Try again in %(minutes)s minutes, or contact the system administrator.",
    "Đăng nhập": "Log in",
    "Quên mật khẩu? Liên hệ quản trị hệ thống của Công an thành phố để được cấp lại.":
        "Forgot your password? Ask the city police's system administrator for a new one.",
    "Đổi mật khẩu": "Change password",
    "Đã đổi mật khẩu": "Password changed",
    "Mật khẩu của bạn đã được đổi.": "Your password has been changed.",
    "Bỏ qua đến nội dung chính": "Skip to main content",
    "Phong trào bảo vệ ANTQ": "National security movement",
    "Mở menu": "Open menu",
    "Tổng quan": "Overview",
    "Quản trị": "Administration",
    "Đăng xuất": "Log out",
    "Đường dẫn": "Breadcrumb",
    "Trang chủ": "Home",
    "Đóng": "Close",
    "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTQ":
        "Steering committee for crime prevention, social evils and the all-people movement to protect national security",
    "Ngôn ngữ": "Language",
    "Đổi": "Switch",
    "Tổng quan địa bàn": "Area overview",
    "Đơn vị đang hoạt động": "Active units",
    "Cơ quan, doanh nghiệp, nhà trường, khu dân cư theo phường, xã":
        "Agencies, enterprises, schools and residential blocks by ward",
    "Tổng": "Total",
    "Cộng": "Total",
    "Tài khoản của bạn chưa được gán địa bàn. Hãy liên hệ quản trị hệ thống.":
        "Your account has no area yet. Contact the system administrator.",
    "Lịch sử thay đổi": "Change history",
    "hệ thống": "system",
    "Chưa có thay đổi nào được ghi lại.": "No change recorded yet.",
    "Phân trang": "Pagination",
    "Đầu": "First",
    "Trước": "Previous",
    "Trang %(n)s/%(total)s": "Page %(n)s of %(total)s",
    "Sau": "Next",
    "Cuối": "Last",
    "Cập nhật lần cuối": "Last updated",
    "Sửa đơn vị": "Edit unit",
    "Thêm đơn vị": "Add unit",
    "Thêm mới": "New",
    "Chưa lưu: vui lòng sửa các lỗi được đánh dấu bên dưới.": "Not saved: please correct the errors marked below.",
    "Cơ quan, doanh nghiệp, nhà trường, khu dân cư": "Agencies, enterprises, schools and residential blocks",
    "Lọc": "Filter",
    "Không có đơn vị nào khớp với điều kiện lọc.": "No unit matches the filters.",
}
PLURALS = {
    "%(counter)s đơn vị": ("%(counter)s unit", "%(counter)s units"),
}


def _load_app_tables():
    for path in sorted((ROOT / "tools" / "en").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"en_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        EN.update(getattr(module, "EN", {}))
        PLURALS.update(getattr(module, "PLURALS", {}))


def main():
    _load_app_tables()
    po = polib.pofile(str(PO))
    po.metadata.update({"Project-Id-Version": "antq", "Language": "en", "Language-Team": "English",
                        "Last-Translator": "antq developers", "PO-Revision-Date": po.metadata.get("POT-Creation-Date", "")})
    missing = []
    for entry in po:
        if entry.msgid_plural:
            if entry.msgid in PLURALS:
                entry.msgstr_plural = {0: PLURALS[entry.msgid][0], 1: PLURALS[entry.msgid][1]}
            else:
                entry.msgstr_plural = {0: "", 1: ""}
                missing.append(entry.msgid)
        elif entry.msgid in EN:
            entry.msgstr = EN[entry.msgid]
        else:
            # makemessages guesses from a similar msgid ("fuzzy"); a wrong guess
            # would show, so an untranslated msgid stays empty (shown in Vietnamese).
            entry.msgstr = ""
            missing.append(entry.msgid)
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save()
    subprocess.run(["msgfmt", "--check", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    if missing:
        print("No English yet for:", *missing, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
