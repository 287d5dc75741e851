from core.text import clean_name, name_key, search_key


def test_search_key_drops_diacritics_and_case():
    assert search_key("Trường Đại học Vinh") == "truong dai hoc vinh"
    assert search_key("ĐỘI CUNG") == "doi cung"


def test_names_typed_in_decomposed_unicode_are_the_same_name():
    decomposed = "Kho\u0302\u0301i  10"  # "Khối 10" as some keyboards send it, two spaces
    assert clean_name(decomposed) == "Khối 10"
    assert name_key(decomposed) == name_key("KHỐI 10")
    assert name_key("Khôi 10") != name_key("Khối 10")
