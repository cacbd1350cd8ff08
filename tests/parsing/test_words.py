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


def test_a_text_of_latin1_letters_is_counted_as_the_unspaced_pattern_counts_it():
    # Latin-1 text ("é", "ü") is told to hold no unspaced script without the regular expression:
    # the same count on texts mixing Latin-1, other scripts and unspaced ones.
    import random

    from crawler.parsing import words

    rng = random.Random(3)
    pieces = ["word", " ", "é", "ü", "\u00a0", "\x85", "Ω", "’", "—", "市", "。", "ส", "\u3000", "ｱ", "\U00020001"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert words._may_hold_unspaced(text) == (words._UNSPACED.search(text) is not None)
