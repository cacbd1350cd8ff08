"""Word counts that measure unspaced scripts fairly (crawler.parsing.words)."""

from crawler.parsing.words import count_words, latin_length

JAPANESE = "市立図書館は閲覧室の開館時間を延長し、平日は午後十時まで利用できるようになりました。"  # 40 letters, 2 punctuation marks
CHINESE = "市政府宣布从下个月起延长图书馆的开放时间。"  # 20 letters, 1 punctuation mark


def test_spaced_scripts_count_their_tokens():
    assert count_words("The council met on Tuesday.") == 5
    assert count_words("Совет собрался во вторник.") == 4
    assert count_words("") == 0


def test_unspaced_scripts_count_two_letters_a_word():
    assert count_words(JAPANESE) == 20
    assert count_words(CHINESE) == 10
    assert count_words(JAPANESE) > 10 * len(JAPANESE.split())


def test_thai_counts_four_letters_a_word():
    assert count_words("สวัสดีครับ") == 3  # ten letters and marks


def test_mixed_text_counts_both_parts_and_not_the_punctuation():
    assert count_words("Apple の iPhone 16 が発売された。") == 3 + 4  # Apple, iPhone, 16; seven kana/kanji
    assert count_words("「」、。") == 0


def test_latin_length_asks_unspaced_text_for_as_much_content_as_english():
    assert latin_length("An English sentence.") == len("An English sentence.")
    assert latin_length(CHINESE) == 1 + 10 * 6  # the full stop, ten words of six characters
    assert latin_length(JAPANESE) > len(JAPANESE)
