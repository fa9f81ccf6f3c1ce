"""A Mage source that runs tap-front or tap-mode from their own virtualenv.

Copy this file to `<mage_integrations>/sources/tap_front/__init__.py` (or `tap_mode/`): the
folder name names the tap. Mage imports the file to find its path, then runs it as a script
with its flags; only then does it hand over to the tap, which gets those flags unchanged. The
taps live in a virtualenv of their own, so Mage's own pins (singer-python, backoff, pendulum,
jsonschema) stay as they are.
"""
import os
import sys

# The virtualenv's bin folder; TAP_FRONT_MODE_BIN overrides it.
TAPS_BIN = os.environ.get("TAP_FRONT_MODE_BIN") or "/opt/tap-front-mode/bin"


def tap_executable():
    folder = os.path.basename(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(TAPS_BIN, folder.replace("_", "-"))


if __name__ == "__main__":
    tap = tap_executable()
    if not os.access(tap, os.X_OK):
        sys.exit("{} not found: install tap-front-mode in a virtualenv and set TAP_FRONT_MODE_BIN "
                 "to its bin folder".format(tap))
    os.execv(tap, [tap] + sys.argv[1:])
