import hmac

import pytest
from cryptography.exceptions import InvalidTag

from ruraledu.core import crypto


def test_blind_index_is_hmac_sha256_of_the_normalised_number_cut_to_128_bits():
    _, key = crypto._keys()
    number = "37030220130101001x"
    expected = hmac.digest(key, b"37030220130101001X", "sha256")[:16].hex()
    assert crypto.blind_index(number) == expected
    assert crypto.blind_index(" 370302 20130101001X ") == expected
    assert len(expected) == 32


def test_blind_indexes_of_many_values_match_one_by_one():
    numbers = [f"37030220130101{i:04d}" for i in range(50)]
    indexes = crypto.blind_indexes(numbers)
    assert indexes == [crypto.blind_index(n) for n in numbers]
    assert len(set(indexes)) == 50


def test_encryption_round_trips_with_a_fresh_nonce_each_time():
    numbers = ["370302201301010011", "370302201301010011", "G370302201301010022"]
    sealed = list(crypto.encrypt_many(numbers))
    assert [crypto.decrypt(blob) for blob in sealed] == numbers
    assert sealed[0] != sealed[1]  # same number, different nonce
    assert len({blob[:12] for blob in sealed}) == 3
    assert crypto.decrypt(crypto.encrypt("370302201301010011")) == "370302201301010011"


def test_a_tampered_cipher_is_refused():
    blob = bytearray(crypto.encrypt("370302201301010011"))
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(bytes(blob))


def test_hint_keeps_the_region_prefix_and_last_four_for_masked_display():
    assert crypto.hint(" 370302201301010011 ") == "3703|0011"
    assert crypto.masked(crypto.hint("370302201301010011")) == "3703**********0011"
    assert crypto.masked("") == "—"
