"""English for the msgids of issue #6: the steering committee's dashboard."""

EN = {
    # the app, the menu, the page
    "Bảng theo dõi": "Dashboard",
    "Tổng quan địa bàn năm %(year)s": "Overview of the area, %(year)s",
    "chỉ tính %(kind)s": "%(kind)s only",
    "số liệu đến ngày %(day)s, so với cả năm %(year)s": "figures up to %(day)s, against the whole of %(year)s",
    "so với năm %(year)s": "against %(year)s",
    "In": "Print",
    "Xem": "Show",
    "Bộ lọc": "Filters",
    "Toàn tỉnh": "Whole province",
    "Chọn quận, huyện trước": "Choose a district first",
    "Xếp hạng theo": "Rank by",
    "Phường, xã không có trong địa bàn của bạn.": "This ward is not in your area.",
    "Tài khoản của bạn chưa được gán địa bàn.": "Your account has no area assigned.",
    "Số liệu chỉ tính hoạt động tại đơn vị thuộc loại đã chọn; danh sách chi tiết của tuyên truyền, ký cam kết, "
    "kế hoạch, biểu dương và mô hình hiển thị mọi loại đơn vị của phường, xã.":
        "The figures count only activities at units of the chosen kind; the detailed lists of sessions, signings, "
        "plans, commendations and models show the ward's units of every kind.",
    # the figures
    "Số liệu chính": "Key figures",
    "Lượt người nghe tuyên truyền": "Session attendances",
    "Đợt ký cam kết": "Commitment signings",
    "Người ký cam kết": "Signatories",
    "Đơn vị có nghị quyết, kế hoạch": "Units with a resolution or plan",
    "Mô hình ra mắt": "Models launched",
    "Mô hình hoạt động cuối năm": "Models active at year end",
    "Thành viên các mô hình mới": "Members of the new models",
    "buổi": "sessions",
    "lượt người": "attendances",
    "chưa so sánh được": "no comparison",
    "không đổi": "unchanged",
    "điểm %": "points",
    "tăng": "up",
    "giảm": "down",
    "năm trước: %(n)s": "previous year: %(n)s",
    "%(part)s/%(whole)s đơn vị": "%(part)s/%(whole)s units",
    "năm %(year)s": "%(year)s",
    # flags
    "Cảnh báo": "Warnings",
    "Chú giải cảnh báo": "Warning legend",
    "Không có mô hình hoạt động": "No active model",
    "90 ngày chưa tuyên truyền": "No session for 90 days",
    "Chưa có kế hoạch trong năm": "No plan this year",
    "Giảm so với năm trước": "Down against last year",
    "Số chỉ tiêu giảm so với năm trước": "Number of figures down against last year",
    "Không có cảnh báo": "No warnings",
    # the per-ward table
    "Theo quận, huyện": "By district",
    "Theo phường, xã": "By ward",
    "Bấm tên quận, huyện để xem bảng theo dõi của quận, huyện đó; bấm tiêu đề cột để sắp xếp.":
        "Click a district's name to open its dashboard; click a column heading to sort.",
    "Bấm tên phường, xã để xem bảng theo dõi riêng; bấm một số liệu để xem các bản ghi; bấm tiêu đề cột để sắp xếp.":
        "Click a ward's name to open its own dashboard, a figure to see the records behind it, a column heading "
        "to sort.",
    "Số phường, xã": "Wards",
    "Buổi TT": "Sessions",
    "Lượt người": "Attendances",
    "Người ký": "Signatories",
    "ĐV có KH": "Units with plan",
    "MH ra mắt": "Models launched",
    "MH hoạt động": "Models active",
    # charts
    "Biểu đồ": "Charts",
    "Lưu ảnh": "Save image",
    "Buổi": "Sessions",
    "Ra mắt": "Launched",
    "Hoạt động cuối năm": "Active at year end",
    "Tỷ lệ có kế hoạch": "Share with a plan",
    "Có kế hoạch": "With a plan",
    "Tỷ lệ": "Share",
    "Xếp": "Rank",
    "Xếp hạng": "Ranking",
    "Xếp hạng quận, huyện": "Districts ranked",
    "Xếp hạng phường, xã": "Wards ranked",
    "Tuyên truyền theo tháng: năm %(year)s so với năm %(prev)s": "Sessions by month: %(year)s against %(prev)s",
    "Số buổi và lượt người nghe tuyên truyền theo tháng": "Sessions and attendances by month",
    "Mô hình tự quản theo loại, năm %(year)s": "Self-management models by kind, %(year)s",
    "Mô hình theo loại": "Models by kind",
    "Chưa có mô hình nào.": "No models yet.",
    "Tỷ lệ đơn vị có nghị quyết, kế hoạch theo loại, năm %(year)s":
        "Share of units with a resolution or plan by unit kind, %(year)s",
    "Đơn vị có nghị quyết, kế hoạch theo loại": "Units with a resolution or plan by kind",
    "Biểu đồ số buổi và lượt người nghe tuyên truyền theo tháng; số liệu ở bảng bên cạnh.":
        "Chart of sessions and attendances by month; the figures are in the table beside it.",
    "Biểu đồ xếp hạng; số liệu ở bảng bên cạnh.": "Ranking chart; the figures are in the table beside it.",
    "Biểu đồ mô hình theo loại; số liệu ở bảng dưới.": "Chart of models by kind; the figures are in the table below.",
    "Biểu đồ tỷ lệ đơn vị có kế hoạch theo loại đơn vị; số liệu ở bảng dưới.":
        "Chart of the share of units with a plan by unit kind; the figures are in the table below.",
    # recent activity
    "Hoạt động gần đây": "Recent activity",
    "Mô hình ra mắt gần nhất": "Latest model launches",
    "Buổi tuyên truyền gần nhất (90 ngày)": "Latest sessions (90 days)",
    "Không có buổi tuyên truyền nào trong 90 ngày qua.": "No session in the last 90 days.",
    "%(n)s thành viên": "%(n)s members",
    "%(n)s người": "%(n)s people",
    "Người nhập: %(who)s, %(when)s": "Entered by %(who)s, %(when)s",
    "Người nhập: không rõ": "Entered by: unknown",
}

PLURALS = {
    "%(n)s phường, xã không có mô hình hoạt động": ("%(n)s ward without an active model",
                                                    "%(n)s wards without an active model"),
    "%(n)s phường, xã 90 ngày chưa tuyên truyền": ("%(n)s ward without a session for 90 days",
                                                   "%(n)s wards without a session for 90 days"),
    "%(n)s phường, xã chưa có kế hoạch": ("%(n)s ward without a plan", "%(n)s wards without a plan"),
    "%(n)s phường, xã giảm so với năm trước": ("%(n)s ward down against last year",
                                               "%(n)s wards down against last year"),
}
