"""`make run` runs demo_admin every time: it must never change a password the editor set."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin(settings, tmp_path, monkeypatch):
    from authors.management.commands import demo_admin as command

    settings.DEBUG = True
    monkeypatch.setattr(command, "CREDENTIALS_FILE", tmp_path / ".demo-admin")

    def run():
        out = io.StringIO()
        call_command("demo_admin", stdout=out)
        return out.getvalue()

    return run


def form_data(html, form_selector="form"):
    """Every field of a rendered form as a browser would send it, unchanged."""
    form = BeautifulSoup(html, "html.parser").select_one(form_selector)
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", chosen.text) if chosen else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "file"):
            data[name] = field.get("value", "")
    return data


def test_first_run_creates_the_account_and_prints_its_password(demo_admin, tmp_path):
    output = demo_admin()
    assert "Demo admin account created" in output
    password = output.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    # Wagtail's account form requires both names; the demo account has them.
    assert (user.first_name, user.last_name) == ("Demo", "Editor")
    assert (tmp_path / ".demo-admin").read_text() == f"admin\n{password}\n"


def test_a_second_run_says_the_account_exists_and_prints_no_password(demo_admin):
    first_password = demo_admin().split("password: ")[1].split()[0]
    output = demo_admin()
    assert "Demo admin account 'admin' exists" in output
    assert first_password not in output
    assert "changepassword admin" in output
    assert get_user_model().objects.get(username="admin").check_password(first_password)


def test_a_password_changed_in_the_admin_survives_make_run(demo_admin, client):
    old_password = demo_admin().split("password: ")[1].split()[0]
    client.force_login(get_user_model().objects.get(username="admin"))
    account = client.get(reverse("wagtailadmin_account"))
    data = form_data(account.content.decode(), "form[method=post]")
    # Only the password fields are touched: the name panel passes as it is.
    data.update(
        {
            "password-old_password": old_password,
            "password-new_password1": "a-new-long-passphrase-42",
            "password-new_password2": "a-new-long-passphrase-42",
        }
    )
    response = client.post(reverse("wagtailadmin_account"), data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(
        ".error-message, .help-critical"
    )
    user = get_user_model().objects.get(username="admin")
    assert user.check_password("a-new-long-passphrase-42")

    output = demo_admin()
    assert "exists" in output
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-42")
    assert not user.check_password(old_password)


def test_an_account_made_elsewhere_is_left_alone(demo_admin):
    User = get_user_model()
    User.objects.create_superuser(username="admin", email="a@example.com", password="mine-1234567")
    output = demo_admin()
    assert "exists" in output and "mine-1234567" not in output
    assert User.objects.get(username="admin").check_password("mine-1234567")
