"""Award nomination dossier workflow: the application factory."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from workflow_app import (
    _quiet,  # noqa: F401 - first: warning filters before any library loads
    parts,  # noqa: F401 - capabilities' guards and effects register by name
)
from workflow_app.config import PROJECT_ROOT, Config
from workflow_app.extensions import babel, csrf, db, login_manager
from workflow_app.url_ids import IdConverter

PACKAGE_DIR = PROJECT_ROOT / "workflow_app"


def create_app(config: Config | None = None) -> Flask:
    """Build the app. Never runs migrations: the schema is Alembic's job (`flask db upgrade`)."""
    config = config or Config.from_env()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=str(config.instance_dir),
    )
    # Before any route exists: `<int:…>` everywhere matches possible ids only (else 404).
    app.url_map.converters["int"] = IdConverter
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        SESSION_COOKIE_SECURE=config.cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="tdkt_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_absolute_hours),
        MAX_CONTENT_LENGTH=config.max_content_length,
        WTF_CSRF_TIME_LIMIT=config.session_absolute_hours * 3600,
        WTF_CSRF_SSL_STRICT=config.cookie_secure,
        BABEL_DEFAULT_LOCALE=config.default_locale,
        # Dates and times shown to people are Vietnam time; stored times stay UTC.
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE_DIR / "translations"),
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.extensions["workflow_config"] = config

    from workflow_app import requestlog

    requestlog.init_app(app)  # first: every request has its id before any other hook answers
    db.init_app(app, config.database_url)
    _load_definitions(app)
    csrf.init_app(app)
    login_manager.init_app(app)

    from workflow_app import downloads, formkit, i18n, labels, security, signing, sizes
    from workflow_app.accounts.views import login

    babel.init_app(app, locale_selector=i18n.select_locale)
    login.init_login_manager(login_manager)
    security.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    sizes.init_app(app)  # the `filesize` filter: one way to show a size
    app.jinja_env.globals["day_input"] = formkit.day_input  # the hand-written forms' days
    app.jinja_env.globals["viewable"] = downloads.viewable  # "View" links (_viewer.html)
    signing.init_app(app)

    from workflow_app import errors
    from workflow_app.notify.views import hooks as notify_hooks

    errors.init_app(app)
    notify_hooks.init_app(app)
    _register_blueprints(app)

    from workflow_app import api

    api.init_app(app)  # after security: its rate limit runs after the login gate

    from workflow_app.cli import register_cli

    register_cli(app)
    return app


def _load_definitions(app: Flask) -> None:
    """Workflows and the working-day calendar, validated now: a broken file stops start-up
    with a message naming the file and the entry."""
    from workflow_app.workdays import load_calendar
    from workflow_app.workflow import load_workflows

    app.extensions["workflows"] = load_workflows()
    app.extensions["work_calendar"] = load_calendar()


def _register_blueprints(app: Flask) -> None:
    from workflow_app.accounts.views.routes import bp as auth_bp
    from workflow_app.admin.views.routes import bp as admin_bp
    from workflow_app.auditor.views.routes import bp as audit_bp
    from workflow_app.catalogue.views.routes import bp as catalogue_bp
    from workflow_app.council.views.routes import bp as council_bp
    from workflow_app.decisions.views.routes import bp as decisions_bp
    from workflow_app.disclosure.views.routes import bp as public_bp
    from workflow_app.dossiers.views.routes import bp as dossiers_bp
    from workflow_app.home.views.routes import bp as main_bp
    from workflow_app.movements.views.routes import bp as movements_bp
    from workflow_app.notify.views.routes import bp as notify_bp
    from workflow_app.ops.views import metrics as _ops_metrics  # noqa: F401 - registers /metrics
    from workflow_app.ops.views.routes import bp as ops_bp
    from workflow_app.org.views.routes import bp as org_bp
    from workflow_app.registry.views.routes import bp as registry_bp
    from workflow_app.reports.views.routes import bp as reports_bp
    from workflow_app.review.views.routes import bp as review_bp
    from workflow_app.scoring.views.routes import bp as scoring_bp
    from workflow_app.search.views.routes import bp as search_bp
    from workflow_app.webhooks.views.routes import bp as webhooks_bp

    for blueprint in (main_bp, auth_bp, admin_bp, catalogue_bp, org_bp, audit_bp, review_bp,
                      public_bp, notify_bp, dossiers_bp, registry_bp, decisions_bp, council_bp,
                      search_bp, reports_bp, movements_bp, scoring_bp, ops_bp,
                      webhooks_bp):
        app.register_blueprint(blueprint)
