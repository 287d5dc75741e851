"""English for the msgids of the workbook import's "Mô hình" sheet (models_registry/imports.py)."""

EN = {
    "“Đơn vị tham gia”: tên các đơn vị của phường, xã, cách nhau bởi dấu “;”; mỗi đơn vị đã có trên phần mềm "
    "hoặc được khai ở trang tính “Đơn vị” của cùng tệp.":
        "“Đơn vị tham gia” (host units): names of units of the ward, separated by “;”; each one already in the "
        "application or listed in the “Đơn vị” sheet of the same file.",
    "“Cơ quan phối hợp”: các cơ quan phối hợp tổ chức lễ ra mắt, cách nhau bởi dấu “;”.":
        "“Cơ quan phối hợp” (organising bodies): the bodies that organised the launch, separated by “;”.",
    "Cùng phường, xã, tên mô hình (không phân biệt hoa thường) và ngày ra mắt là một mô hình: nhập lại không "
    "thêm lần nữa.":
        "The same ward, model name (ignoring case) and launch date are one model: importing it again adds "
        "nothing.",
    "Mô hình được nhập ở trạng thái đang hoạt động từ ngày ra mắt, là số liệu phường tự khai chờ Ban Chỉ đạo "
    "xác minh.":
        "Imported models are active from their launch date and count as declared by the ward, awaiting the "
        "steering committee's verification.",
}
