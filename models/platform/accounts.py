"""Users, their bearer tokens, password reset codes and the API keys of campus frontends."""

from tortoise import fields
from tortoise.models import Model

from models.platform.moments import Moment


class User(Model):
    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=120)
    email = fields.CharField(max_length=254, unique=True)
    phone = fields.CharField(max_length=16, null=True)
    password_hash = fields.CharField(max_length=255)
    is_city_admin = fields.BooleanField(default=False)
    # Decides escalated complaints (komplain) beside the Dinas.
    is_marketplace_admin = fields.BooleanField(default=False, db_default=False)
    created_at = Moment(auto_now_add=True)
    # Notification channels beside the app: e-mail unless switched off, WhatsApp by opt-in.
    notify_by_email = fields.BooleanField(default=True, db_default=True)
    notify_by_whatsapp = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "user"


class AuthToken(Model):
    # A bearer token: only its SHA-256 digest is stored.

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="tokens", on_delete=fields.CASCADE
    )
    user_id: int
    digest = fields.CharField(max_length=64, unique=True)
    created_at = Moment(auto_now_add=True)
    # Moved forward at most once a minute; a session idle past SESSION_IDLE_MINUTES ends.
    last_used_at = Moment(null=True)
    revoked_at = Moment(null=True)

    class Meta:
        table = "auth_token"
        indexes = (("user_id", "revoked_at"),)


class ApiKey(Model):
    # The key of a campus frontend: shown once, stored as its SHA-256 digest.

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="api_keys", on_delete=fields.CASCADE
    )
    user_id: int
    name = fields.CharField(max_length=80)
    digest = fields.CharField(max_length=64, unique=True)
    created_at = Moment(auto_now_add=True)
    revoked_at = Moment(null=True)

    class Meta:
        table = "api_key"
        indexes = (("user_id", "id"),)


class PasswordReset(Model):
    # A one-time code sent to the user: only its digest is stored; used once, then spent.

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="password_resets", on_delete=fields.CASCADE
    )
    digest = fields.CharField(max_length=64)
    attempts = fields.IntField(default=0)
    created_at = Moment(auto_now_add=True)
    expires_at = Moment()
    used_at = Moment(null=True)

    class Meta:
        table = "password_reset"
        indexes = (("user_id", "id"),)
