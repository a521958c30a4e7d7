"""What a staff password must be: long enough, and not one people guess first.

Length alone lets "          " or "1234567890" through; a list of common passwords
alone lets "quantri-quantri" through. zxcvbn (the estimator Dropbox published, with its
frequency lists of leaked passwords, names and keyboard patterns) scores how many
guesses a password would take; we ask for a score of 3 ("safely unguessable" against
online attacks and slow offline ones, which Argon2 makes ours) and at least 10
characters, and feed it the user's name and the product's words so "quantri-2026" for
user "quantri" scores what it is worth.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from signage.errors import N_, FieldProblem, Invalid

MIN_LENGTH = 10
MIN_SCORE = 3
# Words an attacker would try first against this service.
PRODUCT_WORDS = ("signage", "admin", "quantri", "matkhau", "mat-khau", "phuong", "motcua",
                 "mot-cua", "ubnd", "123456")


def weakness(password: str, user_name: str = "") -> str | None:
    """Why `password` is refused (a msgid), or None when it may be used."""
    if not password.strip():
        return N_("không được chỉ gồm khoảng trắng.")
    if len(password) < MIN_LENGTH:
        return N_("phải có ít nhất 10 ký tự.")
    hints = [w for w in (user_name, *PRODUCT_WORDS) if w]
    # zxcvbn looks at the first 100 characters; a longer password is long enough.
    if zxcvbn(password[:100], user_inputs=hints)["score"] < MIN_SCORE:
        return N_("quá dễ đoán (mật khẩu phổ biến, tên người dùng, dãy số hay phím liền "
                  "nhau). Hãy dùng một câu dài dễ nhớ, ví dụ: ca-phe-sang-thu-hai.")
    return None


def check_password(password: str, user_name: str = "", field: str = "password") -> None:
    """Refuse a weak password (Invalid about `field`, labelled "Mật khẩu")."""
    reason = weakness(password, user_name)
    if reason is not None:
        raise Invalid(code="weak_password",
                      fields=[FieldProblem(field, reason, {}, (N_("Mật khẩu"),))])
