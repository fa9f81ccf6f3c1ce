"""Command line shared by both taps: the Singer flags, `--about` and `--test`. Every failure
becomes one line on stderr and an exit code (2 for bad input, 1 for a failed run); stdout only
ever carries Singer messages or the catalog."""
import argparse
import json
import logging
import sys

from . import logs
from .about import render
from .catalog import parse_catalog
from .errors import ConfigError, TapError
from .output import Output
from .settings import validate_config
from .state import State

LOGGER = logging.getLogger("tap")


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ConfigError(message)


def build_parser(tap_cls):
    parser = _Parser(prog=tap_cls.name, description=tap_cls.description)
    parser.add_argument("-c", "--config", action="append", default=[],
                        help="config JSON file (repeat to merge several)")
    parser.add_argument("-d", "--discover", action="store_true", help="print the catalog")
    parser.add_argument("--catalog", help="catalog JSON file choosing streams and fields")
    parser.add_argument("-p", "--properties", help="older name for --catalog")
    parser.add_argument("-s", "--state", help="state JSON file to resume from")
    parser.add_argument("--about", action="store_true", help="describe the tap and its settings")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                        help="output format for --about")
    parser.add_argument("--test", action="store_true", help="check the connection and exit")
    return parser


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise ConfigError("{} file not found: {}".format(what, path)) from None
    except OSError as exc:
        raise ConfigError("{} file {} cannot be read: {}".format(what, path, exc.strerror)) from None
    except ValueError as exc:
        raise ConfigError("{} file {} is not valid JSON: {}".format(what, path, exc)) from None


def load_config(paths, tap_cls):
    raw = {}
    for path in paths:
        part = read_json(path, "config")
        if not isinstance(part, dict):
            raise ConfigError("config file {} must hold a JSON object".format(path))
        raw.update(part)
    return validate_config(raw, tap_cls.settings)


def run(tap_cls, args, output):
    if args.about:
        print(render(tap_cls, args.format))
        return 0
    if not args.config:
        raise ConfigError("--config is required (a JSON file with the tap's settings)")
    config = load_config(args.config, tap_cls)
    logs.register_secrets(config, tap_cls.settings)
    tap = tap_cls(config)
    if args.test:
        tap.test_connection()
        print("connection ok", file=sys.stderr)
        return 0
    if args.discover:
        output.raw(tap.discover().to_dict())
        return 0
    catalog_path = args.catalog or args.properties
    known = {cls.name for cls in tap_cls.stream_classes}
    catalog = parse_catalog(read_json(catalog_path, "catalog"), known) if catalog_path else _default_catalog(tap)
    state = State(read_json(args.state, "state") if args.state else None)
    tap.sync(catalog, state, output)
    return 0


def _default_catalog(tap):
    """Without a catalog, sync the streams that are selected by default."""
    from singer import metadata
    catalog = tap.discover()
    for entry in catalog.streams:
        mdata = metadata.to_map(entry.metadata)
        default = metadata.get(mdata, (), "selected-by-default")
        entry.metadata = metadata.to_list(metadata.write(mdata, (), "selected", bool(default)))
    return catalog


def main(tap_cls, argv=None):
    logs.setup()
    output = Output()
    try:
        args, unknown = build_parser(tap_cls).parse_known_args(argv)
        if unknown:
            LOGGER.warning("ignoring unknown arguments: %s", " ".join(unknown))
        return run(tap_cls, args, output)
    except TapError as error:
        _flush_quietly(output)
        print("{}: {}".format(tap_cls.name, logs.SECRETS.mask(str(error))), file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The target went away; there is nobody left to write to.
        _silence_stdout()
        print("{}: output closed by the reader (target exited?)".format(tap_cls.name), file=sys.stderr)
        return 1
    except Exception as error:  # a bug: one line, the traceback only at DEBUG
        _flush_quietly(output)
        LOGGER.debug("unexpected error", exc_info=True)
        print("{}: unexpected error {}: {} (LOGGING_LEVEL=DEBUG shows the traceback)".format(
            tap_cls.name, type(error).__name__, logs.SECRETS.mask(str(error))), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _flush_quietly(output)
        print("{}: interrupted".format(tap_cls.name), file=sys.stderr)
        return 130


def _flush_quietly(output):
    try:
        output.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()


def _silence_stdout():
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def entry_point(tap_cls):
    sys.exit(main(tap_cls))
