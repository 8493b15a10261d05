"""Where security configuration comes from: packaged defaults, overrides, secrets.

Each YAML file (``sharing.yaml``, ``retention.yaml``) ships beside this
module as the default; a file of the same name in ``$WORKBENCH_HOME``
replaces it whole, so a deployment's rules are one reviewable file.

The pseudonym secret comes from ``WORKBENCH_PSEUDONYM_KEY`` or else from
``$WORKBENCH_HOME/pseudonym.key``, generated on first use, readable by its
owner only. It is never committed or exported. (These are the only two
variables this package reads; ``workbench.config.Settings`` is the place for
them once the lead moves them there.)
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Any

import yaml

from workbench.security.errors import ConfigError
from workbench.security.localdb import private_file

HERE = Path(__file__).parent
KEY_FILE = "pseudonym.key"
KEY_ENV = "WORKBENCH_PSEUDONYM_KEY"
MIN_SECRET = 32


def config_path(name: str, home: Path | None) -> Path:
    """The override in ``home`` if there is one, else the packaged default."""
    if home is not None and (home / name).is_file():
        return home / name
    return HERE / name


def load_yaml(name: str, home: Path | None) -> tuple[dict[str, Any], Path]:
    """The configuration mapping of ``name`` and the file it came from."""
    path = config_path(name, home)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data, path


def pseudonym_secret(home: Path) -> bytes:
    """The master secret pseudonyms are keyed with (see :mod:`pseudonyms`)."""
    env = os.environ.get(KEY_ENV)
    if env is not None:
        if len(env) < MIN_SECRET:
            raise ConfigError(
                f"{KEY_ENV} must be at least {MIN_SECRET} characters; "
                "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        return env.encode("utf-8")
    path = home / KEY_FILE
    if not path.exists():
        private_file(path).write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"{path} is readable by others (mode {mode:o}); run `chmod 600 {path}` "
            "(and rotate the key if it may have been copied)"
        )
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < MIN_SECRET:
        raise ConfigError(f"{path} holds a secret shorter than {MIN_SECRET} characters")
    return secret.encode("ascii")
