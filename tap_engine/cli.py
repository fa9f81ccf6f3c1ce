"""Command line shared by both taps: the Singer flags, `--about`, `--test`, and the flags Mage
integration pipelines use. Every failure becomes one line on stderr and an exit code (2 for bad
input, 1 for a failed run); stdout carries only Singer messages, the catalog, or what a Mage flag
asks for."""
import argparse
import logging
import os
import sys

from singer import metadata

from . import logs
from .about import render
from .catalog import parse_catalog
from .errors import ConfigError, TapError
from .inputs import gather
from .output import Output
from .settings import example_config, validate_config
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
    mage = parser.add_argument_group("Mage integration pipelines")
    mage.add_argument("--config_json", help="config as a JSON string, merged over --config")
    mage.add_argument("--settings", help="YAML or JSON file with `config` and a catalog")
    mage.add_argument("--catalog_json", help="catalog as a JSON string")
    mage.add_argument("--state_json", help="state as a JSON string")
    mage.add_argument("--selected_streams_json", help="JSON list of the streams to discover or sync")
    mage.add_argument("--discover_streams", action="store_true", help="with --discover: stream names only")
    mage.add_argument("--test_connection", action="store_true", help="same as --test")
    mage.add_argument("--show_templates", action="store_true", help="print an example config")
    mage.add_argument("--load_sample_data", action="store_true", help="first page of each selected stream")
    mage.add_argument("--log_to_stdout", help="1: log lines as JSON objects on stdout")
    mage.add_argument("--query_json", help="run parameters, e.g. _start_date/_end_date")
    mage.add_argument("--query", help="run parameters as a JSON file")
    return parser


def _choose_streams(catalog, selected):
    """Mage runs one stream per process: only the named streams stay selected."""
    for entry in catalog.streams:
        if entry.tap_stream_id not in selected:
            mdata = metadata.to_map(entry.metadata)
            entry.metadata = metadata.to_list(metadata.write(mdata, (), "selected", False))
    return catalog


def _default_catalog(tap):
    """Without a catalog, sync the streams that are selected by default."""
    catalog = tap.discover()
    for entry in catalog.streams:
        mdata = metadata.to_map(entry.metadata)
        default = metadata.get(mdata, (), "selected-by-default")
        entry.metadata = metadata.to_list(metadata.write(mdata, (), "selected", bool(default)))
    return catalog


def run(tap_cls, args, output):
    if args.about:
        print(render(tap_cls, args.format))
        return 0
    if args.show_templates:
        output.raw({"config": example_config(tap_cls.settings)})
        return 0
    inputs = gather(args)
    if not inputs.config and not (args.config or args.config_json or args.settings):
        raise ConfigError("--config is required (a JSON file with the tap's settings)")
    config = validate_config(inputs.config, tap_cls.settings)
    logs.register_secrets(config, tap_cls.settings)
    tap = tap_cls(config)
    if inputs.query.get("_start_date") or inputs.query.get("_end_date"):
        # A scheduled trigger's interval is no data bound: each stream goes on from its
        # bookmark (a first run from start_date), so no run syncs less than a plain one.
        LOGGER.info("run interval %s to %s: streams sync from their bookmarks",
                    inputs.query.get("_start_date"), inputs.query.get("_end_date"))
    known = {cls.name for cls in tap_cls.stream_classes}
    if inputs.selected_streams:
        unknown = sorted(set(inputs.selected_streams) - known)
        if unknown:
            raise ConfigError("unknown stream(s) {} (this tap has: {})".format(", ".join(unknown), ", ".join(sorted(known))))
    if args.test or args.test_connection:
        tap.test_connection()
        print("connection ok", file=sys.stderr)
        return 0
    if args.discover:
        catalog = tap.discover()
        if inputs.selected_streams:
            catalog.streams = [e for e in catalog.streams if e.tap_stream_id in inputs.selected_streams]
        if args.discover_streams:
            output.raw([{"stream": e.tap_stream_id, "tap_stream_id": e.tap_stream_id} for e in catalog.streams])
        else:
            output.raw(catalog.to_dict())
        return 0
    catalog = parse_catalog(inputs.catalog, known) if inputs.catalog is not None else _default_catalog(tap)
    if inputs.selected_streams:
        catalog = _choose_streams(catalog, set(inputs.selected_streams))
    if args.load_sample_data:
        tap.sample(catalog, output)
        return 0
    state = State(inputs.state)
    state.check_timestamps(tap_cls.stream_classes)
    tap.sync(catalog, state, output)
    return 0


def main(tap_cls, argv=None):
    argv = sys.argv[1:] if argv is None else argv
    logs.setup(logs.json_stdout_handler(tap_cls.name) if _wants_stdout_logs(argv) else None)
    output = Output()
    try:
        args, unknown = build_parser(tap_cls).parse_known_args(argv)
        if unknown:
            LOGGER.warning("ignoring unknown arguments: %s", " ".join(unknown))
        return run(tap_cls, args, output)
    except TapError as error:
        return _fail(tap_cls, output, str(error), error.exit_code)
    except BrokenPipeError:
        # The target went away; there is nobody left to write to.
        _silence_stdout()
        print("{}: output closed by the reader (target exited?)".format(tap_cls.name), file=sys.stderr)
        return 1
    except Exception as error:  # a bug: one line, the traceback only at DEBUG
        LOGGER.debug("unexpected error", exc_info=True)
        return _fail(tap_cls, output, "unexpected error {}: {} (LOGGING_LEVEL=DEBUG shows the traceback)".format(
            type(error).__name__, error), 1)
    except KeyboardInterrupt:
        return _fail(tap_cls, output, "interrupted", 130)


def _wants_stdout_logs(argv):
    for index, arg in enumerate(argv):
        if arg.startswith("--log_to_stdout"):
            value = arg.split("=", 1)[1] if "=" in arg else (argv[index + 1] if index + 1 < len(argv) else "")
            return value.lower() in ("1", "true", "yes")
    return False


def _fail(tap_cls, output, message, code):
    try:
        output.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()
    line = "{}: {}".format(tap_cls.name, logs.SECRETS.mask(message))
    if logs.STDOUT_LOGS:
        logging.getLogger("tap").error(line)
    print(line, file=sys.stderr)
    return code


def _silence_stdout():
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def entry_point(tap_cls):
    sys.exit(main(tap_cls))
